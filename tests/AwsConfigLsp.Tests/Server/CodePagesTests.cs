using AwsConfigLsp.Server.Protocol;
using Xunit;

namespace AwsConfigLsp.Tests.Server;

/// <summary>After an open the server hands its executable's clean read-only pages back to the kernel (Linux).</summary>
public sealed class CodePagesTests
{
    [Fact]
    public void The_relocated_range_of_an_executable_is_read_from_its_program_headers()
    {
        if (!OperatingSystem.IsLinux()) return;
        var relro = CodePages.RelroOf(Environment.ProcessPath!);
        Assert.NotNull(relro);
        Assert.True(relro.Value.Size > 0);
        Assert.Equal(0UL, relro.Value.Address % 4096);
    }

    [Fact]
    public void A_file_that_is_not_an_elf_executable_has_no_relocated_range()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "#!/bin/sh\necho not an ELF file, but long enough to fill a 64-byte header..........\n");
            Assert.Null(CodePages.RelroOf(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_read_only_pages_of_the_executable_leave_the_resident_set_and_the_process_goes_on()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Other tests' servers trimmed the test host already: map its read-only pages again by reading them.
        TouchExecutablePages();
        var before = ExecutableResidentKiB();

        var advised = CodePages.Trim();

        Assert.True(advised > 0);
        Assert.True(ExecutableResidentKiB() < before, $"resident {before} KiB before, {ExecutableResidentKiB()} after");
        // Code of the executable runs again (its pages come back from the page cache).
        Assert.NotNull(CodePages.RelroOf(Environment.ProcessPath!));
    }

    private static string Executable() =>
        Path.GetFullPath(new FileInfo(Environment.ProcessPath!).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Environment.ProcessPath!);

    private static void TouchExecutablePages()
    {
        var executable = Executable();
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[5].Trim() != executable || fields[1] is not ("r-xp" or "r--p")) continue;
            var range = fields[0].Split('-');
            var start = long.Parse(range[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            var end = long.Parse(range[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            for (var page = start; page < end; page += 4096) System.Runtime.InteropServices.Marshal.ReadByte((nint)page);
        }
    }

    private static long ExecutableResidentKiB()
    {
        var executable = Executable();
        long total = 0;
        var inExecutable = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-') && line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries) is { Length: >= 5 } fields
                && fields[0].Contains('-'))
            {
                inExecutable = fields.Length == 6 && fields[5].Trim() == executable && fields[1] is "r-xp" or "r--p";
            }
            else if (inExecutable && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return total;
    }
}
