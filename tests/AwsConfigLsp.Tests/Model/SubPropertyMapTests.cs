using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Models;

/// <summary>A nested block's sub-properties as the model gives them: what botocore's parse of the block gives, in the block's order.</summary>
public sealed class SubPropertyMapTests
{
    private static IReadOnlyDictionary<string, string> Block(string lines)
    {
        var file = ConfigFile.Create(ConfigFileKind.Config, "/c", SyntaxParser.Parse("[profile p]\ns3 =\n" + lines));
        return file.Sections.Single(section => section.EntityName == "p").Get("s3")!.Value.SubProperties!;
    }

    [Fact]
    public void ASmallBlock_IsLookedUpExactly_InTheBlocksOrder_TheLastOfARepeatedKeyWinning()
    {
        var block = Block("  max_concurrent_requests = 10\n  addressing_style = path\n  Max_Concurrent_Requests = 3\n  max_concurrent_requests = 20\n");

        Assert.IsType<SubPropertyMap>(block);
        Assert.Equal(3, block.Count);
        // botocore's parse keeps the first place of a repeated key and its last value; keys are compared exactly.
        Assert.Equal([new("max_concurrent_requests", "20"), new("addressing_style", "path"), new KeyValuePair<string, string>("Max_Concurrent_Requests", "3")], block);
        Assert.Equal(["max_concurrent_requests", "addressing_style", "Max_Concurrent_Requests"], block.Keys);
        Assert.Equal(["20", "path", "3"], block.Values);
        Assert.Equal("path", block["addressing_style"]);
        Assert.True(block.ContainsKey("Max_Concurrent_Requests"));
        Assert.False(block.ContainsKey("MAX_CONCURRENT_REQUESTS"));
        Assert.False(block.TryGetValue("use_accelerate_endpoint", out var missing));
        Assert.Null(missing);
        Assert.Throws<KeyNotFoundException>(() => block["use_accelerate_endpoint"]);
    }

    [Fact]
    public void ABlockOfManyKeys_KeepsItsDictionary_WithTheSameAnswers()
    {
        var lines = string.Concat(Enumerable.Range(0, SubPropertyMap.MaxScanned + 1).Select(i => $"  key{i} = value{i}\n"));
        var block = Block(lines);

        Assert.IsNotType<SubPropertyMap>(block);
        Assert.Equal(SubPropertyMap.MaxScanned + 1, block.Count);
        Assert.Equal(Enumerable.Range(0, SubPropertyMap.MaxScanned + 1).Select(i => $"key{i}"), block.Keys);
        Assert.Equal($"value{SubPropertyMap.MaxScanned}", block[$"key{SubPropertyMap.MaxScanned}"]);
    }
}
