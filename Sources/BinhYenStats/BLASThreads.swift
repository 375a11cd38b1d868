#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The worker threads of the pthreads build of OpenBLAS.
///
/// When the library is loaded, OpenBLAS starts one worker per extra core, and each worker
/// busy-waits (`sched_yield` in a loop) for about 2^28 cycles (~0.1 s) before it sleeps. A command
/// that does no linear algebra but keeps every core busy (`summary` on a national file) loses
/// that core time; on two cores it is a tenth of a second of one of them.
public enum BLASThreads {
    /// Stops OpenBLAS's idle workers (`blas_thread_shutdown_`, looked up at run time; nothing
    /// happens with another BLAS or a single-threaded build). OpenBLAS starts them again on its
    /// next multithreaded call, so later linear algebra is unaffected (checked with `dgemm`).
    public static func stopIdleWorkers() {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "blas_thread_shutdown_") else { return }
        typealias Shutdown = @convention(c) () -> Int32
        _ = unsafeBitCast(symbol, to: Shutdown.self)()
    }
}
