using System.Text.Json;

namespace Realtime.Api;

/// <summary>Typed sends: <c>data</c> is any value, serialised with System.Text.Json (camelCase unless <c>json</c> says otherwise).</summary>
public static class RealtimeExtensions
{
    /// <summary>Publishes a custom event with a typed payload.</summary>
    public static Task PublishEventAsync<T>(this IRealtime realtime, string channel, T payload, JsonSerializerOptions? json = null)
        => realtime.PublishEventAsync(Events.RealtimeEvent.Create(channel, payload, json));

    /// <summary>Broadcasts <paramref name="data"/> to a room (sequenced, kept in history); returns its seq.</summary>
    public static Task<long> SendToRoomAsync<T>(this IRealtime realtime, string room, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToRoomAsync(room, RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> once to each connection in any of <paramref name="rooms"/> (not sequenced).</summary>
    public static Task SendToRoomsAsync<T>(this IRealtime realtime, IReadOnlyCollection<string> rooms, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToRoomsAsync(rooms, RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> to every connection of each user, on every gateway.</summary>
    public static Task SendToUsersAsync<T>(this IRealtime realtime, IReadOnlyCollection<string> userIds, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToUsersAsync(userIds, RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> to every connection of one user, on every gateway.</summary>
    public static Task SendToUserAsync<T>(this IRealtime realtime, string userId, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToUsersAsync([userId], RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> to one connection.</summary>
    public static Task SendToClientAsync<T>(this IRealtime realtime, string clientId, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToClientAsync(clientId, RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> to every connection.</summary>
    public static Task SendToAllAsync<T>(this IRealtime realtime, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToAllAsync(RealtimePush.Create(type, action, data, json), options);

    /// <summary>Sends <paramref name="data"/> to every connection that arrived on <paramref name="path"/> (<c>/ws/chat</c>).</summary>
    public static Task SendToPathAsync<T>(this IRealtime realtime, string path, string type, string action, T data, SendOptions? options = null, JsonSerializerOptions? json = null)
        => realtime.SendToPathAsync(path, RealtimePush.Create(type, action, data, json), options);

    /// <summary>Asks one connection with <paramref name="data"/> and returns its answer as <typeparamref name="TResult"/> (see <see cref="IRealtime.InvokeClientAsync"/>).</summary>
    public static async Task<TResult?> InvokeClientAsync<TResult>(this IRealtime realtime, string clientId, string type, string action, object? data, TimeSpan? timeout = null, JsonSerializerOptions? json = null, CancellationToken cancellationToken = default)
    {
        var answer = await realtime.InvokeClientAsync(clientId, RealtimePush.Create(type, action, data, json), timeout, cancellationToken);
        return answer.IsEmpty ? default : JsonSerializer.Deserialize<TResult>(answer.Span, json ?? Protocol.RealtimeJson.DefaultDataOptions);
    }

    /// <summary>Asks every connection of a user with <paramref name="data"/>; each outcome's <see cref="ClientInvokeOutcome.As{T}"/> reads its answer.</summary>
    public static Task<IReadOnlyList<ClientInvokeOutcome>> InvokeUserAsync(this IRealtime realtime, string userId, string type, string action, object? data, TimeSpan? timeout = null, JsonSerializerOptions? json = null, CancellationToken cancellationToken = default)
        => realtime.InvokeUserAsync(userId, RealtimePush.Create(type, action, data, json), timeout, cancellationToken);
}
