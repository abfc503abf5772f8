using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>
/// A client frame's envelope: <c>type</c>, <c>action</c>, the raw <c>id</c> token (echoed exactly as
/// sent) and the raw <c>data</c> value. Slices point into the receive buffer and live as long as it.
/// </summary>
public readonly struct InboundFrame
{
    /// <summary>The longest <c>type</c> or <c>action</c>, in bytes.</summary>
    public const int MaxNameBytes = 128;
    /// <summary>The longest <c>id</c> token, in bytes.</summary>
    public const int MaxIdBytes = 256;

    private InboundFrame(string? type, string? action, ReadOnlyMemory<byte> id, ReadOnlyMemory<byte> data)
    {
        Type = type;
        Action = action;
        Id = id;
        Data = data;
    }

    /// <summary>The frame's <c>type</c>; null when missing or not valid.</summary>
    public string? Type { get; }

    /// <summary>The frame's <c>action</c>; null when missing or not valid.</summary>
    public string? Action { get; }

    /// <summary>The <c>id</c> as its JSON token (a string with its quotes, or a number); empty when absent.</summary>
    public ReadOnlyMemory<byte> Id { get; }

    /// <summary>The <c>data</c> value as JSON text; empty when absent.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the frame asked for a reply.</summary>
    public bool HasId => !Id.IsEmpty;

    /// <summary>
    /// Reads the envelope. On failure <paramref name="error"/> says why, and <paramref name="frame"/>
    /// still carries whatever <c>type</c>, <c>action</c> and <c>id</c> could be read, so the error can be a reply.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, out InboundFrame frame, out string? error)
    {
        string? type = null;
        string? action = null;
        ReadOnlyMemory<byte> id = default;
        ReadOnlyMemory<byte> data = default;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "A frame must be a JSON object";
            }
            else
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        type = ReadName(ref reader, "type", ref error);
                    }
                    else if (reader.ValueTextEquals("action"u8))
                    {
                        action = ReadName(ref reader, "action", ref error);
                    }
                    else if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number
                            && reader.BytesConsumed - start <= MaxIdBytes)
                        {
                            id = utf8[start..(int)reader.BytesConsumed];
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            error ??= $"id must be a string of at most {MaxIdBytes} bytes";
                            reader.Skip();
                        }
                    }
                    else if (reader.ValueTextEquals("data"u8))
                    {
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();

                        // Marked data (bytes, see BinaryValues) keeps its mark, the space before it.
                        if (start > 0 && utf8.Span[start - 1] == (byte)' ' && BinaryValues.IsMarked(utf8.Span))
                        {
                            start--;
                        }

                        data = utf8[start..(int)reader.BytesConsumed];
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                // Anything after the object (a second value) makes the reader throw here.
                while (reader.Read())
                {
                }
            }
        }
        catch (JsonException)
        {
            error = "The frame is not valid JSON";
        }
        catch (InvalidOperationException)
        {
            // A string that cannot be decoded (a lone surrogate escape, say).
            error = "The frame has a string that is not valid text";
        }

        if (error is null && (type is null || action is null))
        {
            error = "A frame needs string fields type and action";
        }

        frame = new InboundFrame(type, action, id, data);
        return error is null;
    }

    private static string? ReadName(ref Utf8JsonReader reader, string field, ref string? error)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            error ??= $"{field} must be a string";
            reader.Skip();
            return null;
        }

        if (reader.ValueSpan.Length is 0 or > MaxNameBytes)
        {
            error ??= $"{field} must have 1 to {MaxNameBytes} characters";
            return null;
        }

        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escape that is not text (a lone surrogate): keep reading, so the id can still be echoed.
            error ??= $"{field} is not valid text";
            return null;
        }
    }
}
