using System.Buffers.Text;
using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>
/// Bytes inside the server. Frames and data travel through the cluster as JSON, which has no bytes:
/// a MessagePack <c>bin</c> value travels as <c>{"$realtime.bin":"&lt;base64&gt;"}</c>, and JSON that
/// holds one is <em>marked</em> by a leading space (valid JSON all the same, so everything that reads
/// or embeds it works unchanged). A gateway writes a marked frame to a MessagePack client with those
/// values as <c>bin</c>, and to a JSON client with them as base64 strings (as SignalR's JSON protocol
/// writes bytes); unmarked JSON is never searched for them.
/// </summary>
public static class BinaryValues
{
    /// <summary>The one property of the object that stands for a <c>bin</c> value in marked JSON.</summary>
    public const string WrapperKey = "$realtime.bin";

    private const byte Mark = (byte)' ';

    /// <summary>Whether <paramref name="json"/> is marked: it may hold bytes.</summary>
    public static bool IsMarked(ReadOnlySpan<byte> json) => json.Length > 0 && json[0] == Mark;

    /// <summary><paramref name="bytes"/> as a data value: marked JSON that a MessagePack client receives as <c>bin</c>.</summary>
    public static byte[] FromBytes(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> start = " {\"$realtime.bin\":\""u8;
        ReadOnlySpan<byte> end = "\"}"u8;
        var encoded = Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        var result = new byte[start.Length + encoded + end.Length];
        start.CopyTo(result);
        Base64.EncodeToUtf8(bytes, result.AsSpan(start.Length), out _, out var written);
        end.CopyTo(result.AsSpan(start.Length + written));
        return result;
    }

    /// <summary>Writes <paramref name="bytes"/> as the value that stands for them (the JSON that holds it must be marked).</summary>
    public static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteBase64String(WrapperKey, bytes);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Adds to <paramref name="options"/> converters that write <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c>
    /// as the values that stand for bytes (and read them from base64), for JSON a client marks and sends as MessagePack.
    /// </summary>
    public static JsonSerializerOptions WithBytesConverters(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new BytesConverter());
        options.Converters.Add(new MemoryConverter());
        return options;
    }

    private sealed class BytesConverter : System.Text.Json.Serialization.JsonConverter<byte[]>
    {
        public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetBytesFromBase64();

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteBytes(writer, value);
    }

    private sealed class MemoryConverter : System.Text.Json.Serialization.JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetBytesFromBase64();

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBytes(writer, value.Span);
    }

    /// <summary>A raw endpoint's message as a handler's data: bytes (a binary message), or a JSON string of the text.</summary>
    public static byte[] RawMessage(ReadOnlyMemory<byte> message, bool binary)
        => binary ? FromBytes(message.Span) : RealtimeJson.Write(message, static (w, text) => w.WriteStringValue(text.Span));

    /// <summary>Marks <paramref name="json"/> (a frame or a value that embeds marked parts).</summary>
    public static byte[] Marked(ReadOnlySpan<byte> json)
    {
        var result = new byte[json.Length + 1];
        result[0] = Mark;
        json.CopyTo(result.AsSpan(1));
        return result;
    }

    /// <summary>
    /// <paramref name="json"/> as every JSON reader expects it: unchanged when unmarked; else with each
    /// <c>bin</c> value as its base64 string, unmarked.
    /// </summary>
    public static ReadOnlyMemory<byte> Plain(ReadOnlyMemory<byte> json)
    {
        if (!IsMarked(json.Span))
        {
            return json;
        }

        using var document = JsonDocument.Parse(json);
        return RealtimeJson.Write(document.RootElement, static (w, root) => WritePlain(w, root));
    }

    /// <summary>Whether <paramref name="element"/> stands for bytes; <paramref name="base64"/> is their text.</summary>
    public static bool IsWrapper(JsonElement element, out JsonElement base64)
    {
        base64 = default;
        if (element.ValueKind != JsonValueKind.Object || element.GetPropertyCount() != 1)
        {
            return false;
        }

        using var properties = element.EnumerateObject();
        properties.MoveNext();
        var only = properties.Current;
        if (only.Value.ValueKind != JsonValueKind.String || !only.NameEquals(WrapperKey))
        {
            return false;
        }

        base64 = only.Value;
        return true;
    }

    private static void WritePlain(Utf8JsonWriter writer, JsonElement element)
    {
        if (IsWrapper(element, out var base64))
        {
            base64.WriteTo(writer);
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    WritePlain(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WritePlain(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
