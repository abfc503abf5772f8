namespace Realtime.Events;

/// <summary>A connection's lifecycle event.</summary>
public sealed record ClientEventPayload(string ClientId, string? UserId, string GatewayId, string Path);

/// <summary>A connection joined or left a room.</summary>
public sealed record RoomEventPayload(string ClientId, string? UserId, string Room);

/// <summary>A user came online or went offline.</summary>
public sealed record UserEventPayload(string UserId);

/// <summary>A push sent to every connection.</summary>
public sealed record SendToAllPayload(string Type, string Action);

/// <summary>Connections disconnected by the server.</summary>
public sealed record DisconnectPayload(string[] ClientIds, string[] UserIds, int CloseCode, string Reason);

/// <summary>A frame a handler could not answer.</summary>
public sealed record MessageErrorPayload(string ClientId, string? UserId, string Type, string Action, string Code, string Error);

/// <summary>The payload types of the lifecycle events, by channel (see <see cref="RealtimeEventChannels"/>).</summary>
public static class LifecycleEvents
{
    /// <summary>Whether <paramref name="channel"/> is one of the system's own.</summary>
    public static bool IsLifecycle(string channel) => channel.StartsWith(RealtimeEventChannels.LifecyclePrefix, StringComparison.Ordinal);
}
