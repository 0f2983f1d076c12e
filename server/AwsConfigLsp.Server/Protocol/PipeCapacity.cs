using System.Runtime.InteropServices;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Enlarges the kernel buffers of the pipes the server talks over (stdin, stdout) on Linux, where a pipe holds 64 KiB by
/// default: an editor's didOpen of a 9 MB config then crossed it in ~140 pieces, each a wake-up of the writer and of the
/// reader, and a 14 MB publish went back the same way. With 1 MiB (the most an unprivileged process may ask for,
/// /proc/sys/fs/pipe-max-size) a piece is 16 times larger. Anything else (not Linux, not a pipe, refused) leaves the
/// pipe as it is.
/// </summary>
internal static class PipeCapacity
{
    /// <summary>What the server asks for.</summary>
    public const int Wanted = 1 << 20;

    // fcntl(2): F_SETPIPE_SZ / F_GETPIPE_SZ (Linux).
    private const int SetPipeSize = 1031;
    private const int GetPipeSize = 1032;

    // Blittable arguments and result: no marshalling code, so a plain DllImport (LibraryImport would need unsafe code).
    [DllImport("libc", EntryPoint = "fcntl")]
    private static extern int Fcntl(int descriptor, int command, int argument);

    /// <summary>Asks for <see cref="Wanted"/> bytes on <paramref name="descriptor"/>; returns the pipe's capacity after, or null when it is not a pipe on Linux or cannot be read.</summary>
    public static int? TryEnlarge(int descriptor)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var current = Fcntl(descriptor, GetPipeSize, 0);
            if (current < 0) return null;
            if (current < Wanted) Fcntl(descriptor, SetPipeSize, Wanted);
            var after = Fcntl(descriptor, GetPipeSize, 0);
            return after < 0 ? current : after;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
