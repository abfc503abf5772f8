namespace Realtime.Connections;

/// <summary>Whether a connection was registered; when not, the close code and reason for the client.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ConnectResult")]
public sealed record ConnectResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] int CloseCode = 0,
    [property: Id(2)] string? Reason = null)
{
    /// <summary>The connection is accepted.</summary>
    public static ConnectResult Ok { get; } = new(true);
}
