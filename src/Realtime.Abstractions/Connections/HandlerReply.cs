namespace Realtime.Connections;

/// <summary>A handler's answer: the reply's <c>data</c> as JSON (empty for none), or an error code and message.</summary>
[GenerateSerializer, Immutable, Alias("realtime.HandlerReply")]
public sealed record HandlerReply(
    [property: Id(0)] byte[] Data,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? Error = null)
{
    /// <summary>True when the handler succeeded.</summary>
    public bool Ok => ErrorCode is null;

    /// <summary>A failed reply.</summary>
    public static HandlerReply Fail(string code, string error) => new([], code, error);
}
