using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AwsConfigLsp.Server.Protocol;

/// <summary>
/// Lets the kernel take back the pages of the server's own executable that it mapped while opening a file (Linux). A
/// NativeAOT server maps ~13 MiB of its 18 MB binary by the end of a 50k-profile open (parser, model, every rule, the
/// JSON writer), and the process's resident memory counts them until the end, although a session of edits uses a few
/// MiB of them. They are clean pages of the file, read-only and never written: <c>madvise(MADV_DONTNEED)</c> unmaps them
/// from the process; the page cache keeps them, and the next use maps them again without reading the disk. Only the
/// read-only mappings of the executable are touched, and not the part the dynamic loader relocated before it made it
/// read-only (<c>PT_GNU_RELRO</c>): those pages differ from the file, and dropping them would bring back the file's bytes.
/// </summary>
internal static class CodePages
{
    private const int DontNeed = 4; // MADV_DONTNEED
    private const uint ProgramHeaderRelro = 0x6474e552; // PT_GNU_RELRO

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>Drops the executable's read-only pages from the process; returns the bytes of the ranges advised (0 when nothing was done).</summary>
    public static long Trim()
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } path) return 0;
        try
        {
            var executable = Path.GetFullPath(new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path);
            var mappings = ReadMappings(executable);
            if (mappings.Count == 0) return 0;
            // The loader's relocated range: a mapping that overlaps it is left alone.
            var baseAddress = mappings.FirstOrDefault(mapping => mapping.Offset == 0).Start;
            if (baseAddress == 0 || RelroOf(executable) is not { } relro) return 0;
            var (relroStart, relroEnd) = (baseAddress + relro.Address, baseAddress + relro.Address + relro.Size);
            long advised = 0;
            foreach (var mapping in mappings)
            {
                if (mapping.Permissions is not ("r-xp" or "r--p")) continue;
                if (mapping.Start < relroEnd && relroStart < mapping.End) continue;
                if (Madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), DontNeed) == 0) advised += (long)(mapping.End - mapping.Start);
            }
            return advised;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException
            or FormatException or OverflowException or ArgumentException)
        {
            return 0;
        }
    }

    private readonly record struct Mapping(ulong Start, ulong End, string Permissions, ulong Offset);

    /// <summary>The mappings of <paramref name="executable"/> in /proc/self/maps.</summary>
    private static List<Mapping> ReadMappings(string executable)
    {
        var found = new List<Mapping>();
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            // start-end perms offset dev inode path
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[5].Trim() != executable) continue;
            var range = fields[0].Split('-');
            found.Add(new Mapping(ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), fields[1],
                ulong.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        return found;
    }

    /// <summary>The executable's <c>PT_GNU_RELRO</c> (address relative to its load base, size), from its ELF program headers; null when it has none or is not a 64-bit little-endian ELF file.</summary>
    internal static (ulong Address, ulong Size)? RelroOf(string executable)
    {
        using var file = File.OpenRead(executable);
        Span<byte> header = stackalloc byte[64];
        if (file.Read(header) != 64 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F'
            || header[4] != 2 || header[5] != 1)
        {
            return null;
        }
        var programHeaders = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        if (entrySize < 56) return null;
        Span<byte> entry = stackalloc byte[56];
        for (var i = 0; i < count; i++)
        {
            file.Position = (long)programHeaders + i * entrySize;
            if (file.Read(entry) != 56) return null;
            if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != ProgramHeaderRelro) continue;
            var address = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]);
            // Whole pages: the loader makes read-only the pages the range touches.
            const ulong Page = 4096;
            var first = address & ~(Page - 1);
            var last = (address + size + Page - 1) & ~(Page - 1);
            return (first, last - first);
        }
        return null;
    }
}
