using AwsConfigLsp.Features;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>
/// A file's history of changes (what readers such as the value index and the incremental analysis follow to catch up)
/// keeps the last <see cref="FileChange.Kept"/>: a reader that recent follows it, one further behind starts from scratch
/// and still answers exactly.
/// </summary>
public sealed class FileHistoryTests
{
    [Fact]
    public void TheLastChangesAreKept_AndAReaderFurtherBehindStartsFromScratch()
    {
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"[profile p{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\n"));
        var syntax = SyntaxParser.Parse(text);
        var files = new List<ConfigFile> { ConfigFile.Create(ConfigFileKind.Config, "/c", syntax) };
        var credentials = ConfigFile.Create(ConfigFileKind.Credentials, "/k", SyntaxParser.Parse(""));
        var model = new ProfileModel(files[0], credentials, null);
        var index = new ValueIndex();
        index.Follow(model);
        Assert.NotNull(index.SortedOf("role_arn"));
        // 200 edits, each a letter typed at the end of a role name (one section replaced each time).
        for (var edit = 0; edit < 200; edit++)
        {
            var at = text.IndexOf($":role/R{edit % 40}\n", StringComparison.Ordinal) + $":role/R{edit % 40}".Length;
            text = text.Insert(at, "x");
            syntax = syntax.WithEdit(at, at, "x");
            files.Add(ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: files[^1]));
            model = new ProfileModel(files[^1], credentials, model);
        }
        var last = files[^1];

        Assert.Equal(FileChange.Kept, last.Change!.Length);
        Assert.Equal(10, ProfileModel.Follows(last, files[^11])!.Count);
        Assert.Equal(FileChange.Kept, ProfileModel.Follows(last, files[^(FileChange.Kept + 1)])!.Count);
        Assert.Null(ProfileModel.Follows(last, files[^(FileChange.Kept + 2)]));
        // The index was last told of the first version: 200 changes back, past the history, so it diffs the files.
        index.Follow(model);
        Assert.Equal(model.Profiles.Count, index.SortedOf("role_arn")!.Values.Count);
        foreach (var profile in model.Profiles.Values)
        {
            var arn = profile.Get("role_arn")!.Value.Value;
            Assert.Equal([profile.Name], index.UsersOf("role_arn", arn));
        }
    }

    [Fact]
    public void VersionsThatFellOutOfTheHistoryAreLetGo()
    {
        var (versions, last) = EditRepeatedly(200);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        // The last version keeps its history (48 changes, each with the version before it through the sections it
        // replaced), and no more: a replaced section keeps its version, whose change keeps the sections it replaced, and
        // so on, which kept every version of the session alive.
        var alive = versions.Count(version => version.TryGetTarget(out _));
        Assert.InRange(alive, FileChange.Kept, FileChange.Kept + 2);
        Assert.Equal(FileChange.Kept, last.Change!.Length);
        Assert.All(versions.Take(100), version => Assert.False(version.TryGetTarget(out _)));
    }

    // Not inlined: the versions are referenced only from the weak references and the last one once it returns.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (List<WeakReference<ConfigFile>> Versions, ConfigFile Last) EditRepeatedly(int edits)
    {
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => $"[profile p{i}]\nrole_arn = arn:aws:iam::111111111111:role/R{i}\n"));
        var syntax = SyntaxParser.Parse(text);
        var file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax);
        var versions = new List<WeakReference<ConfigFile>>();
        for (var edit = 0; edit < edits; edit++)
        {
            versions.Add(new WeakReference<ConfigFile>(file));
            var at = text.IndexOf($":role/R{edit % 40}\n", StringComparison.Ordinal) + $":role/R{edit % 40}".Length;
            text = text.Insert(at, "x");
            syntax = syntax.WithEdit(at, at, "x");
            file = ConfigFile.Create(ConfigFileKind.Config, "/c", syntax, previous: file);
        }
        return (versions, file);
    }
}
