namespace Realtime.Api;

/// <summary>
/// An error meant for the client: thrown by a handler, it becomes the reply's <c>code</c> and
/// <c>error</c> as given (any other exception becomes a generic <c>HANDLER_ERROR</c>).
/// </summary>
[GenerateSerializer, Alias("realtime.RealtimeException")]
public sealed class RealtimeException : Exception
{
    /// <summary>An error with a protocol code (see <see cref="Protocol.ErrorCodes"/>) and a message the client may read.</summary>
    public RealtimeException(string code, string message) : base(message) => Code = code;

    /// <summary>The error code sent to the client.</summary>
    [Id(0)]
    public string Code { get; }
}
