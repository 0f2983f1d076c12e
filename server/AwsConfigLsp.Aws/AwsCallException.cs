namespace AwsConfigLsp.Aws;

/// <summary>How a call failed, before it is explained to a person.</summary>
public enum FailureKind
{
    /// <summary>The service answered with an error document (<see cref="AwsCallException.Code"/> is its code).</summary>
    Service,
    /// <summary>No answer within the time limit.</summary>
    Timeout,
    /// <summary>No connection (refused, DNS, reset, closed without an answer).</summary>
    Connection,
    /// <summary>The TLS handshake failed: a certificate this computer does not trust, or an endpoint that does not speak TLS.</summary>
    Tls,
    /// <summary>Something local failed before any call: a missing file, a process that failed, a refused MFA code.</summary>
    Local,
    /// <summary>An answer that is not what the protocol says.</summary>
    Malformed,
}

/// <summary>A failed step of a credential test, with the service's code and message (never a secret).</summary>
public sealed class AwsCallException(FailureKind kind, string code, string message, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
    public string Code { get; } = code;
    public int? Status { get; } = status;

    public static AwsCallException Local(string code, string message) => new(FailureKind.Local, code, message);
}
