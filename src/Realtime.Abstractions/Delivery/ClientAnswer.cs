namespace Realtime.Delivery;

/// <summary>
/// A client's answer to a server request: <paramref name="Data"/> (JSON text, empty for none) when
/// <paramref name="Ok"/>, else the client's <paramref name="Code"/> and <paramref name="Error"/>.
/// The gateway answers <see cref="Protocol.ErrorCodes.NotConnected"/> for a connection that is gone.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientAnswer")]
public sealed record ClientAnswer(
    [property: Id(0)] bool Ok,
    [property: Id(1)] byte[]? Data,
    [property: Id(2)] string? Code = null,
    [property: Id(3)] string? Error = null)
{
    /// <summary>The connection is not on the gateway, or closed before it answered.</summary>
    public static ClientAnswer NotConnected { get; } = new(false, null, Protocol.ErrorCodes.NotConnected, "The client is not connected");
}
