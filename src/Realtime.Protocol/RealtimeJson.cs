using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Realtime.Protocol;

/// <summary>JSON settings shared by everything that writes frames or application data.</summary>
public static class RealtimeJson
{
    /// <summary>
    /// Options for application data: camelCase, web defaults. Frames keep non-ASCII text as UTF-8
    /// rather than \u escapes, so they stay as small as the client sent them.
    /// </summary>
    public static JsonSerializerOptions DefaultDataOptions { get; } = CreateDataOptions();

    /// <summary>How frames are written: UTF-8 kept as it is, no validation (the writers are trusted).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// <see cref="DefaultDataOptions"/> for binding a frame's data to a handler's parameter: a constructor
    /// parameter that has no default and is not nullable must be there, and null goes only where the
    /// annotations allow it; a missing one is an error, not a silent default.
    /// </summary>
    public static JsonSerializerOptions HandlerDataOptions { get; } = CreateHandlerDataOptions();

    private static JsonSerializerOptions CreateHandlerDataOptions()
    {
        var options = new JsonSerializerOptions(DefaultDataOptions)
        {
            RespectNullableAnnotations = true,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { RequireNonNullableParameters } },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// A constructor parameter without a default that is not nullable is required (System.Text.Json's own
    /// switch would require the nullable ones too: <c>string? Filter</c> is optional here).
    /// </summary>
    private static void RequireNonNullableParameters(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Kind != System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false } && property.Set is not null)
            {
                property.IsRequired = true;
            }
        }
    }

    /// <summary>The JSON text <c>null</c>.</summary>
    public static ReadOnlyMemory<byte> Null { get; } = "null"u8.ToArray();

    /// <summary>The JSON text <c>{}</c>.</summary>
    public static ReadOnlyMemory<byte> EmptyObject { get; } = "{}"u8.ToArray();

    private static JsonSerializerOptions CreateDataOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes a frame with a thread-local buffer and returns exactly its bytes.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            write(writer, state);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null;
                t_writer = null;
            }
            else
            {
                buffer.ResetWrittenCount();
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;
}
