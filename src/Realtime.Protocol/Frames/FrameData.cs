using System.Runtime.InteropServices;
using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>
/// The <c>data</c> object of a built-in action, read field by field; every problem is a
/// <see cref="FrameDataException"/> whose message tells the client what was wrong.
/// </summary>
public sealed class FrameData : IDisposable
{
    private readonly JsonDocument? _document;
    private readonly string _action;
    private readonly bool _marked;

    private FrameData(JsonDocument? document, string action, bool marked = false)
    {
        _document = document;
        _action = action;
        _marked = marked;
    }

    /// <summary>Reads <paramref name="data"/> for <paramref name="action"/>: empty (no data) or an object; anything else is a <see cref="FrameDataException"/>.</summary>
    public static FrameData Parse(ReadOnlyMemory<byte> data, string action)
    {
        if (data.IsEmpty)
        {
            return new FrameData(null, action);
        }

        var document = JsonDocument.Parse(data);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FrameDataException($"{action} needs data to be an object");
        }

        return new FrameData(document, action, BinaryValues.IsMarked(data.Span));
    }

    /// <summary><c>data.roomName</c>, which must follow the room-name rule.</summary>
    public string RequiredRoomName()
    {
        var name = OptionalString("roomName");
        return RoomNames.IsValid(name)
            ? name!
            : throw new FrameDataException($"{_action} needs data.roomName: {RoomNames.Rule}");
    }

    /// <summary>A required name field: a string of 1 to <see cref="InboundFrame.MaxNameBytes"/> characters.</summary>
    public string RequiredName(string field)
    {
        var value = OptionalString(field);
        return value is { Length: > 0 and <= InboundFrame.MaxNameBytes }
            ? value
            : throw new FrameDataException($"{_action} needs data.{field}: a string of 1 to {InboundFrame.MaxNameBytes} characters");
    }

    /// <summary>A string field, or null when absent or null.</summary>
    public string? OptionalString(string field)
    {
        if (!TryGet(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? Text(value, field)
            : throw new FrameDataException($"{_action}: data.{field} must be a string");
    }

    private string Text(JsonElement value, string field)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new FrameDataException($"{_action}: data.{field} is not valid text");
        }
    }

    /// <summary>A seq field: a whole number, 0 or more; null when absent or null.</summary>
    public long? OptionalSeq(string field)
    {
        if (!TryGet(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new FrameDataException($"{_action}: data.{field} must be a whole number, 0 or more");
    }

    /// <summary>A boolean field; false when absent or null.</summary>
    public bool OptionalBool(string field)
    {
        if (!TryGet(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FrameDataException($"{_action}: data.{field} must be true or false"),
        };
    }

    /// <summary>The field's value as JSON text (marked when the data is: it may hold bytes), or empty when absent.</summary>
    public byte[] RawValue(string field)
        => !TryGet(field, out var value) ? []
            : _marked ? BinaryValues.Marked(JsonMarshal.GetRawUtf8Value(value))
            : JsonMarshal.GetRawUtf8Value(value).ToArray();

    /// <summary>Whether the field is present (even as null).</summary>
    public bool Has(string field) => TryGet(field, out _);

    /// <summary>The field as metadata text: a string as it is, null as null, anything else as its JSON text.</summary>
    public string? MetadataValue(string field)
    {
        if (!TryGet(field, out var value))
        {
            throw new FrameDataException($"{_action} needs data.{field}");
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => Text(value, field),
            _ => value.GetRawText(),
        };
    }

    /// <summary>Returns the parsed document's buffers.</summary>
    public void Dispose() => _document?.Dispose();

    private bool TryGet(string field, out JsonElement value)
    {
        if (_document is null)
        {
            value = default;
            return false;
        }

        return _document.RootElement.TryGetProperty(field, out value);
    }
}

/// <summary>The <c>data</c> of a built-in action is not what it needs.</summary>
public sealed class FrameDataException(string message) : Exception(message);
