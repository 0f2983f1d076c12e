using AwsConfigLsp.Model;
using AwsConfigLsp.Syntax;

namespace AwsConfigLsp.Features;

/// <summary>A "Test this profile" lens: the profile, its header in the file asked for, and the top AssumeRole hop of its chain (if any).</summary>
public sealed record ProfileLens(string Profile, TextSpan HeaderSpan, ChainHop? TopRole);

/// <summary>Where "Test this profile" lenses go: above every profile of the file whose chain the CLI can walk.</summary>
public static class CodeLenses
{
    public static IReadOnlyList<ProfileLens> Get(ProfileModel model, ConfigFileKind kind)
    {
        var lenses = new List<ProfileLens>();
        foreach (var profile in model.Profiles.Values)
        {
            var section = kind == ConfigFileKind.Config ? profile.ConfigSection : profile.CredentialsSection;
            if (section is null || section.Syntax.Header is null) continue;
            var resolution = CredentialResolver.Resolve(model, profile.Name, ignoreFileProblems: true);
            if (!resolution.Succeeded || resolution.Chain is [] or [{ Kind: CredentialKind.None }]) continue;
            lenses.Add(new ProfileLens(profile.Name, section.HeaderSpan, resolution.Chain.LastOrDefault(hop => hop.Kind == CredentialKind.AssumeRole)));
        }
        return lenses;
    }
}
