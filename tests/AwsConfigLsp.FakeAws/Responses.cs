using System.Security;
using System.Text;
using System.Text.Json;

namespace AwsConfigLsp.FakeAws;

/// <summary>Response documents in the shapes AWS sends, and request parameter parsing.</summary>
internal static class Responses
{
    public const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    public const string IamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/";

    public static string Escape(string text) => SecurityElement.Escape(text);

    /// <summary>An AWS Query error document, as STS and IAM send it, with <c>x-amzn-RequestId</c>.</summary>
    public static HttpResponse XmlError(int status, string type, string code, string message, string ns)
    {
        var requestId = Guid.NewGuid().ToString("D");
        var body = $"<ErrorResponse xmlns=\"{ns}\">\n  <Error>\n    <Type>{type}</Type>\n    <Code>{code}</Code>\n    <Message>{Escape(message)}</Message>\n  </Error>\n  <RequestId>{requestId}</RequestId>\n</ErrorResponse>\n";
        return HttpResponse.Text(status, "text/xml", body).With("x-amzn-RequestId", requestId);
    }

    /// <summary>A Query API result document: <c>&lt;ActionResponse&gt;&lt;ActionResult&gt;...&lt;/ActionResult&gt;&lt;ResponseMetadata/&gt;</c>.</summary>
    public static HttpResponse XmlResult(string action, string ns, string resultXml)
    {
        var requestId = Guid.NewGuid().ToString("D");
        var body = $"<{action}Response xmlns=\"{ns}\">\n  <{action}Result>\n{resultXml}  </{action}Result>\n  <ResponseMetadata>\n    <RequestId>{requestId}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n";
        return HttpResponse.Text(200, "text/xml", body).With("x-amzn-RequestId", requestId);
    }

    /// <summary>A REST-JSON error: <c>x-amzn-ErrorType</c> header and <c>{"message": ...}</c>, as the SSO portal sends it.</summary>
    public static HttpResponse JsonError(int status, string type, string message)
    {
        var requestId = Guid.NewGuid().ToString("D");
        return HttpResponse.Text(status, "application/json", JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = message }))
            .With("x-amzn-ErrorType", type).With("x-amzn-RequestId", requestId);
    }

    public static HttpResponse Plain(int status, string text) => HttpResponse.Text(status, "text/plain", text);

    /// <summary>Parameters of a Query API request: the URL's query and, for form posts, the body (the SDKs send them there).</summary>
    public static IEnumerable<KeyValuePair<string, string>> QueryParameters(HttpRequest request)
    {
        foreach (var pair in ParseForm(request.Query)) yield return pair;
        var contentType = request.Header("Content-Type") ?? "";
        if (request.Body.Length > 0 && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var pair in ParseForm(Encoding.UTF8.GetString(request.Body))) yield return pair;
        }
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseForm(string text)
    {
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            yield return new(Decode(pair[0]), pair.Length > 1 ? Decode(pair[1]) : "");
        }
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
