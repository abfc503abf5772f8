namespace Realtime.Client;

/// <summary>The server answered a request with an error (<see cref="Code"/> is one of PROTOCOL.md's codes).</summary>
public sealed class RealtimeRequestException : Exception
{
    public RealtimeRequestException()
    {
    }

    public RealtimeRequestException(string message) : base(message)
    {
    }

    public RealtimeRequestException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public RealtimeRequestException(string code, string message) : base(message) => Code = code;

    /// <summary>The error code: <c>FORBIDDEN</c>, <c>UNKNOWN_ROUTE</c>, ...</summary>
    public string Code { get; } = "";
}
