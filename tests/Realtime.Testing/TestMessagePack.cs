using System.Buffers;
using System.Collections;
using System.Text.Json;
using MessagePack;
using MessagePack.Resolvers;

namespace Realtime.Testing;

/// <summary>
/// MessagePack as an outside client writes and reads it, with the library's own serializer (not the
/// server's transcoder): frames are maps, <c>byte[]</c> is <c>bin</c>. What it reads is shown to tests as
/// JSON, with each <c>bin</c> value as <c>{"$bytes":"&lt;base64&gt;"}</c> so that bytes and strings differ.
/// </summary>
public static class TestMessagePack
{
    private static readonly MessagePackSerializerOptions s_options = ContractlessStandardResolver.Options;

    public static byte[] Serialize(object frame) => MessagePackSerializer.Serialize(frame.GetType(), frame, s_options);

    public static JsonElement ToJson(byte[] message)
    {
        var value = MessagePackSerializer.Deserialize<object>(message, s_options);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    /// <summary>The bytes of a value read as <c>bin</c>; fails when it was anything else.</summary>
    public static byte[] Bytes(this JsonElement value)
    {
        Xunit.Assert.True(value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$bytes", out _), $"expected MessagePack bin, got {value}");
        return value.GetProperty("$bytes").GetBytesFromBase64();
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case byte[] bytes:
                writer.WriteStartObject();
                writer.WriteBase64String("$bytes", bytes);
                writer.WriteEndObject();
                break;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong large:
                writer.WriteNumberValue(large);
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                writer.WriteStringValue(time);
                break;
            case IDictionary map:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    writer.WritePropertyName(entry.Key as string ?? throw new InvalidOperationException($"a map key that is not a string: {entry.Key}"));
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"an unexpected MessagePack value: {value.GetType()}");
        }
    }
}
