using System.Text;
using System.Text.Json;
using Realtime.Protocol;

namespace Realtime.Api;

/// <summary>What a server-side send pushes: <c>type</c>, <c>action</c> and <c>data</c> as JSON text.</summary>
public sealed record RealtimePush
{
    /// <summary>A push with <paramref name="data"/> as JSON text (empty for none).</summary>
    public RealtimePush(string type, string action, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(action);
        Type = type;
        Action = action;
        Data = data;
    }

    /// <summary>The push's <c>type</c>.</summary>
    public string Type { get; }

    /// <summary>The push's <c>action</c>.</summary>
    public string Action { get; }

    /// <summary>The push's <c>data</c> as UTF-8 JSON text; empty when the push has none.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>A push whose data is <paramref name="data"/> serialised with System.Text.Json (camelCase unless <paramref name="options"/> say otherwise).</summary>
    /// <remarks>Bytes (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>) are pushed as bytes: <c>bin</c> to a MessagePack client, base64 text to a JSON one.</remarks>
    public static RealtimePush Create<T>(string type, string action, T data, JsonSerializerOptions? options = null) => data switch
    {
        byte[] bytes => Binary(type, action, bytes),
        ReadOnlyMemory<byte> bytes => Binary(type, action, bytes.Span),
        _ => new(type, action, JsonSerializer.SerializeToUtf8Bytes(data, options ?? RealtimeJson.DefaultDataOptions)),
    };

    /// <summary>A push whose data is <paramref name="bytes"/>: <c>bin</c> to a MessagePack client, base64 text to a JSON one.</summary>
    public static RealtimePush Binary(string type, string action, ReadOnlySpan<byte> bytes)
        => new(type, action, BinaryValues.FromBytes(bytes));

    /// <summary>A push whose data is the given JSON text, validated here.</summary>
    public static RealtimePush FromJson(string type, string action, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using (JsonDocument.Parse(bytes))
        {
        }

        return new(type, action, bytes);
    }

    internal byte[] ToFrame() => ServerFrames.Push(Type, Action, Data);

    internal byte[] DataArray() => Data.ToArray();
}
