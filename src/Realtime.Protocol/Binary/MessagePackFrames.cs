using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Realtime.Protocol;

/// <summary>
/// <c>realtime.v1.msgpack</c>: the same frames as MessagePack maps with the JSON frame's keys. A gateway
/// keeps frames as JSON inside and transcodes at its edge, once per frame and protocol: a client's
/// MessagePack frame becomes the JSON frame it stands for (a <c>bin</c> value as marked JSON, see
/// <see cref="BinaryValues"/>), and a JSON frame becomes the MessagePack map a client receives.
/// </summary>
/// <remarks>
/// MessagePack values map to JSON ones: nil, booleans, integers, floats (finite only), strings (valid
/// UTF-8), arrays, maps (with string keys), <c>bin</c> (bytes), and the timestamp extension (an ISO
/// 8601 string); any other extension is refused. JSON numbers become integers when they are whole and
/// fit 64 bits, else float64.
/// </remarks>
public static class MessagePackFrames
{
    private const int MaxDepth = 64;

    /// <summary>
    /// The MessagePack map a client receives for the JSON frame <paramref name="json"/>; in a marked
    /// frame the values that stand for bytes become <c>bin</c>.
    /// </summary>
    public static byte[] FromJson(ReadOnlyMemory<byte> json)
    {
        var marked = BinaryValues.IsMarked(json.Span);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth + 2 });
        var buffer = t_pack ??= new ArrayBufferWriter<byte>(1024);
        try
        {
            var writer = new MessagePackWriter(buffer);
            Write(ref writer, document.RootElement, marked);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            Recycle(ref t_pack, buffer);
        }
    }

    /// <summary>
    /// The JSON frame a client's MessagePack frame stands for. With <paramref name="keepBinary"/> (a
    /// server) a <c>bin</c> value in <c>data</c> stays bytes (its data and the frame are marked); without
    /// it (a client) every <c>bin</c> value becomes its base64 string. False, with the reason, when the
    /// message is not one MessagePack map of values JSON can hold.
    /// </summary>
    public static bool TryToJson(ReadOnlyMemory<byte> message, bool keepBinary, out byte[] json, out string? error)
    {
        json = [];
        error = null;
        var frame = t_frame ??= new ArrayBufferWriter<byte>(1024);
        var value = t_value ??= new ArrayBufferWriter<byte>(256);
        try
        {
            var reader = new MessagePackReader(message);
            if (reader.End || reader.NextMessagePackType != MessagePackType.Map)
            {
                error = "A frame must be a MessagePack map";
                return false;
            }

            var marked = false;
            var writer = Writer(ref t_frameWriter, frame);
            var count = reader.ReadMapHeader();
            writer.WriteStartObject();
            for (var i = 0; i < count; i++)
            {
                var key = ReadKey(ref reader);
                writer.WritePropertyName(key);
                if (!keepBinary || !key.SequenceEqual("data"u8))
                {
                    // Bytes elsewhere (as type, action or id) stay objects, which the envelope's reader refuses.
                    Read(ref reader, writer, keepBinary, depth: 1, out _);
                    continue;
                }

                // The data value on its own, so that holding bytes marks it (see BinaryValues).
                var data = Writer(ref t_valueWriter, value);
                Read(ref reader, data, keepBinary: true, depth: 1, out var hasBinary);
                data.Flush();
                writer.WriteRawValue(hasBinary ? BinaryValues.Marked(value.WrittenSpan) : value.WrittenSpan, skipInputValidation: true);
                value.ResetWrittenCount();
                marked |= hasBinary;
            }

            writer.WriteEndObject();
            writer.Flush();

            if (!reader.End)
            {
                error = "A frame must be one MessagePack map, with nothing after it";
                return false;
            }

            json = marked ? BinaryValues.Marked(frame.WrittenSpan) : frame.WrittenSpan.ToArray();
            return true;
        }
        catch (FormatException exception)
        {
            error = exception.Message;
            return false;
        }
        catch (Exception exception) when (exception is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            error = "The frame is not valid MessagePack";
            return false;
        }
        finally
        {
            Recycle(ref t_frame, frame);
            value.ResetWrittenCount();
        }
    }

    private static void Write(ref MessagePackWriter writer, JsonElement element, bool marked)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when marked && BinaryValues.IsWrapper(element, out var base64):
                writer.Write(base64.GetBytesFromBase64());
                break;
            case JsonValueKind.Object:
                writer.WriteMapHeader(element.GetPropertyCount());
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value, marked);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    Write(ref writer, item, marked);
                }

                break;
            case JsonValueKind.String:
                WriteString(ref writer, element);
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var number):
                writer.Write(number);
                break;
            case JsonValueKind.Number when element.TryGetUInt64(out var large):
                writer.Write(large);
                break;
            case JsonValueKind.Number:
                writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    private static void WriteString(ref MessagePackWriter writer, JsonElement element)
    {
        string text;
        try
        {
            text = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escape that is not text (a lone surrogate) came in as JSON: pass it on as it was written.
            var raw = element.GetRawText();
            text = raw[1..^1];
        }

        writer.Write(text);
    }

    private static ReadOnlySpan<byte> ReadKey(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
        {
            throw new FormatException("MessagePack map keys must be strings");
        }

        return Utf8(ref reader);
    }

    private static ReadOnlySpan<byte> Utf8(ref MessagePackReader reader)
    {
        var sequence = reader.ReadStringSequence() ?? default;
        var bytes = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
        return System.Text.Unicode.Utf8.IsValid(bytes) ? bytes : throw new FormatException("The frame has a string that is not valid UTF-8");
    }

    private static void Read(ref MessagePackReader reader, Utf8JsonWriter writer, bool keepBinary, int depth, out bool hasBinary)
    {
        hasBinary = false;
        if (depth > MaxDepth)
        {
            throw new FormatException($"The frame is nested deeper than {MaxDepth} levels");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                writer.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                writer.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                writer.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                writer.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                writer.WriteNumberValue(double.IsFinite(number) ? number : throw new FormatException("The frame has a number JSON cannot hold (NaN or infinite)"));
                break;
            case MessagePackType.String:
                writer.WriteStringValue(Utf8(ref reader));
                break;
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes() ?? default;
                var span = bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
                if (keepBinary)
                {
                    writer.WriteStartObject();
                    writer.WriteBase64String(BinaryValues.WrapperKey, span);
                    writer.WriteEndObject();
                    hasBinary = true;
                }
                else
                {
                    writer.WriteBase64StringValue(span);
                }

                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                writer.WriteStartArray();
                for (var i = 0; i < length; i++)
                {
                    Read(ref reader, writer, keepBinary, depth + 1, out var itemBinary);
                    hasBinary |= itemBinary;
                }

                writer.WriteEndArray();
                break;
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                writer.WriteStartObject();
                for (var i = 0; i < count; i++)
                {
                    writer.WritePropertyName(ReadKey(ref reader));
                    Read(ref reader, writer, keepBinary, depth + 1, out var valueBinary);
                    hasBinary |= valueBinary;
                }

                writer.WriteEndObject();
                break;
            case MessagePackType.Extension:
                var header = reader.ReadExtensionFormatHeader();
                if (header.TypeCode != ReservedMessagePackExtensionTypeCode.DateTime)
                {
                    throw new FormatException($"MessagePack extension type {header.TypeCode} is not supported");
                }

                writer.WriteStringValue(reader.ReadDateTime(header));
                break;
            default:
                throw new FormatException("The frame is not valid MessagePack");
        }
    }

    /// <summary>The thread's writer in <paramref name="slot"/>, reset onto <paramref name="buffer"/>.</summary>
    private static Utf8JsonWriter Writer(ref Utf8JsonWriter? slot, ArrayBufferWriter<byte> buffer)
    {
        if (slot is null)
        {
            return slot = new Utf8JsonWriter(buffer, RealtimeJson.WriterOptions);
        }

        slot.Reset(buffer);
        return slot;
    }

    private static void Recycle(ref ArrayBufferWriter<byte>? slot, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > 64 * 1024)
        {
            slot = null;
        }
        else
        {
            buffer.ResetWrittenCount();
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_pack;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_frame;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_value;

    [ThreadStatic]
    private static Utf8JsonWriter? t_frameWriter;

    [ThreadStatic]
    private static Utf8JsonWriter? t_valueWriter;
}
