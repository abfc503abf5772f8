using System.Security.Claims;
using System.Text.Json;
using Realtime.Api;
using Realtime.Protocol;

namespace Realtime.Grains.Handlers;

/// <summary>What a handler knows about the frame it answers and the connection that sent it.</summary>
public sealed partial class HandlerContext
{
    private JsonElement? _data;

    internal HandlerContext(
        HandlerCaller caller,
        string type,
        string action,
        ReadOnlyMemory<byte> rawData,
        IRealtime realtime,
        IServiceProvider services,
        JsonSerializerOptions jsonOptions,
        CancellationToken cancellationToken)
    {
        ClientId = caller.ClientId;
        UserId = caller.UserId;
        User = caller.User;
        Metadata = caller.Metadata;
        Type = type;
        Action = action;
        RawData = rawData;
        Realtime = realtime;
        Services = services;
        JsonOptions = jsonOptions;
        CancellationToken = cancellationToken;
    }

    /// <summary>The connection's id (the <c>clientId</c> of the <c>connected</c> frame).</summary>
    public string ClientId { get; }

    /// <summary>The user, or null for an anonymous connection.</summary>
    public string? UserId { get; }

    /// <summary>The claims of the connection's token: an unauthenticated principal when anonymous.</summary>
    public ClaimsPrincipal User { get; }

    /// <summary>The connection's metadata when the frame arrived.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The frame's <c>type</c>.</summary>
    public string Type { get; }

    /// <summary>The frame's <c>action</c>.</summary>
    public string Action { get; }

    /// <summary>The frame's <c>data</c> as UTF-8 JSON text; empty when the frame had none.</summary>
    public ReadOnlyMemory<byte> RawData { get; }

    /// <summary>True when the frame carried <c>data</c>.</summary>
    public bool HasData => !RawData.IsEmpty;

    /// <summary>The frame's <c>data</c>; <see cref="JsonValueKind.Undefined"/> when it had none.</summary>
    public JsonElement Data => _data ??= HasData ? JsonSerializer.Deserialize<JsonElement>(RawData.Span) : default;

    /// <summary>Push to any connections: rooms, users, one client, all.</summary>
    public IRealtime Realtime { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Cancelled when the handler runs past its time limit.</summary>
    public CancellationToken CancellationToken { get; }

    internal JsonSerializerOptions JsonOptions { get; }

    /// <summary>The frame's <c>data</c> bound to <typeparamref name="T"/> (camelCase JSON); default when it had none.</summary>
    public T? GetData<T>() => (T?)GetData(typeof(T));

    /// <summary>What was wrong with the data, in the client's terms: its JSON path and property names, never .NET type names.</summary>
    internal static string DataProblem(JsonException exception)
    {
        var missing = MissingProperties().Match(exception.Message);
        if (missing.Success)
        {
            return $"data needs {missing.Groups[1].Value}";
        }

        var at = exception.Path is { Length: > 1 } path ? "data" + path[1..] : "data";
        return exception.Message.Contains("null values", StringComparison.Ordinal)
            ? $"{at} may not be null"
            : $"{at} is not of the expected kind";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"missing required properties including: (.+?)\.?$")]
    private static partial System.Text.RegularExpressions.Regex MissingProperties();

    internal object? GetData(Type type)
    {
        if (!HasData)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(RawData.Span, type, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new RealtimeException(ErrorCodes.InvalidMessage, $"Invalid data for {Type}/{Action}: {DataProblem(exception)}");
        }
        catch (InvalidOperationException)
        {
            throw new RealtimeException(ErrorCodes.InvalidMessage, $"Invalid data for {Type}/{Action}: a string is not valid text");
        }
    }
}
