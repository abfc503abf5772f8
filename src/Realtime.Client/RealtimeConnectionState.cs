namespace Realtime.Client;

/// <summary>Where a <see cref="RealtimeClient"/> stands.</summary>
public enum RealtimeConnectionState
{
    /// <summary>Not connected and not trying to (before the first connect, or after dispose or giving up).</summary>
    Disconnected,

    /// <summary>The first connection is being made.</summary>
    Connecting,

    /// <summary>Connected: the server sent <c>connected</c>.</summary>
    Connected,

    /// <summary>The connection dropped; trying again.</summary>
    Reconnecting,
}
