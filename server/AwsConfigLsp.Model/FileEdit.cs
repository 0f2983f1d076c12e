namespace AwsConfigLsp.Model;

/// <summary>A replacement of a span of one of the two files with new text: the unit of every fix, rename and format.</summary>
public sealed record FileEdit(SourceLocation Location, string NewText);
