using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Events;

/// <summary>
/// A custom event: a <paramref name="Channel"/> and a JSON <paramref name="Payload"/>, published by any
/// code and handled once in the cluster by the subscribers whose match takes the channel.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RealtimeEvent")]
public sealed record RealtimeEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Channel,
    [property: Id(2)] byte[] Payload,
    [property: Id(3)] DateTimeOffset PublishedAt)
{
    /// <summary>A new event with a fresh id, its payload serialised with System.Text.Json (camelCase).</summary>
    public static RealtimeEvent Create<T>(string channel, T payload, JsonSerializerOptions? options = null)
        => new(Guid.NewGuid().ToString("N"), channel, JsonSerializer.SerializeToUtf8Bytes(payload, options ?? RealtimeJson.DefaultDataOptions), DateTimeOffset.UtcNow);

    /// <summary>The payload bound to <typeparamref name="T"/>.</summary>
    public T? PayloadAs<T>(JsonSerializerOptions? options = null)
        => Payload.Length == 0 ? default : JsonSerializer.Deserialize<T>(Payload, options ?? RealtimeJson.DefaultDataOptions);
}
