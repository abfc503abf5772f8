using System.Text.Json;

namespace Realtime.Api;

/// <summary>Typed sends: <c>data</c> is <typeparamref name="T"/> serialised with System.Text.Json (camelCase unless <c>json</c> says otherwise).</summary>
public static class RealtimeExtensions
{
    /// <summary>Publishes a custom event with a typed payload.</summary>
    public static Task PublishEventAsync<T>(this IRealtime realtime, string channel, T payload, JsonSerializerOptions? json = null)
        => realtime.PublishEventAsync(Events.RealtimeEvent.Create(channel, payload, json));

    public static Task<long> SendToRoomAsync<T>(this IRealtime realtime, string room, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToRoomAsync(room, RealtimePush.Create(type, action, data, json), options);

    public static Task SendToRoomsAsync<T>(this IRealtime realtime, IReadOnlyCollection<string> rooms, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToRoomsAsync(rooms, RealtimePush.Create(type, action, data, json), options);

    public static Task SendToUsersAsync<T>(this IRealtime realtime, IReadOnlyCollection<string> userIds, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToUsersAsync(userIds, RealtimePush.Create(type, action, data, json), options);

    public static Task SendToUserAsync<T>(this IRealtime realtime, string userId, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToUsersAsync([userId], RealtimePush.Create(type, action, data, json), options);

    public static Task SendToClientAsync<T>(this IRealtime realtime, string clientId, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToClientAsync(clientId, RealtimePush.Create(type, action, data, json), options);

    public static Task SendToAllAsync<T>(this IRealtime realtime, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToAllAsync(RealtimePush.Create(type, action, data, json), options);

    public static Task SendToPathAsync<T>(this IRealtime realtime, string path, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToPathAsync(path, RealtimePush.Create(type, action, data, json), options);
}
