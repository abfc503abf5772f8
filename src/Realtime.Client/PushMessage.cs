using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>A push from the server: a room broadcast (with <see cref="Room"/> and <see cref="Seq"/>) or any other push.</summary>
public sealed record PushMessage(string Type, string Action, JsonElement Data, string? Room, long Seq, string? FromClientId, string? FromUserId)
{
    /// <summary>The push's data bound to <typeparamref name="T"/> (camelCase JSON).</summary>
    public T? DataAs<T>() => Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : Data.Deserialize<T>(ClientJson.Options);

    internal static PushMessage From(JsonElement frame)
    {
        string? fromClient = null, fromUser = null;
        if (frame.TryGetProperty(FrameFields.From, out var from) && from.ValueKind == JsonValueKind.Object)
        {
            fromClient = from.TryGetProperty(FrameFields.ClientId, out var c) ? c.GetString() : null;
            fromUser = from.TryGetProperty(FrameFields.UserId, out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        }

        return new PushMessage(
            frame.GetProperty(FrameFields.Type).GetString() ?? "",
            frame.GetProperty(FrameFields.Action).GetString() ?? "",
            frame.TryGetProperty(FrameFields.Data, out var data) ? data : default,
            frame.TryGetProperty(FrameFields.Room, out var room) && room.ValueKind == JsonValueKind.String ? room.GetString() : null,
            frame.TryGetProperty(FrameFields.Seq, out var seq) && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : 0,
            fromClient,
            fromUser);
    }
}

internal static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>For frames sent as MessagePack: bytes are written as the values that become <c>bin</c>.</summary>
    public static JsonSerializerOptions MessagePackOptions { get; } = BinaryValues.WithBytesConverters(new(JsonSerializerDefaults.Web));
}
