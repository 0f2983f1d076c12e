using System.Collections.Immutable;
using AwsConfigLsp.Analysis.Diagnostics;
using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;
using Xunit;

namespace AwsConfigLsp.Tests.Analysis;

/// <summary>
/// Every place a diagnostic points at, in order: its own, its related places', then where its fixes edit (the choices'
/// one place, or each edit of each fix). The incremental analysis moves and anchors findings by these places.
/// </summary>
public sealed class DiagnosticPlacesTests
{
    private static SourceLocation At(int start, ConfigFileKind file = ConfigFileKind.Config) => new(file, new TextSpan(start, 1));

    private static List<SourceLocation> PlacesOf(Diagnostic diagnostic)
    {
        var places = new List<SourceLocation>();
        foreach (var place in diagnostic.Places) places.Add(place);
        return places;
    }

    [Fact]
    public void Own_then_related_then_every_edit_of_every_fix()
    {
        var diagnostic = new Diagnostic("code", DiagnosticSeverity.Warning, At(1), "message")
        {
            Related = [new RelatedLocation(At(2), "a"), new RelatedLocation(At(3, ConfigFileKind.Credentials), "b")],
            Fixes = [new CodeFix("one", [new FileEdit(At(4), "x"), new FileEdit(At(5), "y")]), new CodeFix("none", []), new CodeFix("two", [new FileEdit(At(6), "z")])],
        };

        Assert.Equal([At(1), At(2), At(3, ConfigFileKind.Credentials), At(4), At(5), At(6)], PlacesOf(diagnostic));
    }

    [Fact]
    public void Choices_count_once_at_their_place()
    {
        var diagnostic = new Diagnostic("code", DiagnosticSeverity.Information, At(7), "message")
        {
            Related = [new RelatedLocation(At(8), "a")],
            Choices = new InsertChoices([("Add a", "a = 1\n"), ("Add b", "b = 1\n")]),
            ChoicesAt = At(9),
        };

        Assert.Equal([At(7), At(8), At(9)], PlacesOf(diagnostic));
    }

    [Fact]
    public void A_diagnostic_without_related_places_or_fixes_has_its_own_place_only()
    {
        Assert.Equal([At(10)], PlacesOf(new Diagnostic("code", DiagnosticSeverity.Error, At(10), "message")));
    }
}
