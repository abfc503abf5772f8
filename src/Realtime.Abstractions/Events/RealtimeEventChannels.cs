namespace Realtime.Events;

/// <summary>
/// The channels of the lifecycle events the system publishes on the same machinery as custom
/// events (published only when a subscriber takes the channel). Payloads are in <see cref="LifecycleEvents"/>.
/// </summary>
public static class RealtimeEventChannels
{
    /// <summary>A connection was registered. Payload: <see cref="ClientEventPayload"/>.</summary>
    public const string ClientConnected = "realtime.client.connected";

    /// <summary>A connection was unregistered (closed, or its gateway died). Payload: <see cref="ClientEventPayload"/>.</summary>
    public const string ClientDisconnected = "realtime.client.disconnected";

    /// <summary>A connection joined a room. Payload: <see cref="RoomEventPayload"/>.</summary>
    public const string ClientJoinedRoom = "realtime.client.joinedRoom";

    /// <summary>A connection left a room. Payload: <see cref="RoomEventPayload"/>.</summary>
    public const string ClientLeftRoom = "realtime.client.leftRoom";

    /// <summary>A user's first connection opened. Payload: <see cref="UserEventPayload"/>.</summary>
    public const string UserOnline = "realtime.user.online";

    /// <summary>A user's last connection closed (after the grace period). Payload: <see cref="UserEventPayload"/>.</summary>
    public const string UserOffline = "realtime.user.offline";

    /// <summary>The server sent a push to every connection. Payload: <see cref="SendToAllPayload"/>.</summary>
    public const string SendMessageToAll = "realtime.sendMessageToAll";

    /// <summary>The server disconnected connections. Payload: <see cref="DisconnectPayload"/>.</summary>
    public const string DisconnectClient = "realtime.disconnectClient";

    /// <summary>A handler failed, timed out or refused a frame. Payload: <see cref="MessageErrorPayload"/>.</summary>
    public const string MessageError = "realtime.messageError";

    /// <summary>The prefix of every lifecycle channel.</summary>
    public const string LifecyclePrefix = "realtime.";
}
