using System.Runtime.InteropServices;
using System.Text.Json;
using Realtime.Api;
using Realtime.Protocol;

namespace Realtime.Gateway.HttpApi;

/// <summary>A body the HTTP API takes: it says what is missing or wrong.</summary>
internal interface IHttpApiRequest
{
    string? Problem();
}

/// <summary>What every send has: the push (<c>type</c>, <c>action</c>, <c>data</c>) and who it skips.</summary>
internal abstract record SendRequest(string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter) : IHttpApiRequest
{
    public virtual string? Problem()
        => string.IsNullOrEmpty(Type) ? "type is required"
            : string.IsNullOrEmpty(Action) ? "action is required"
            : SystemActions.IsReservedType(Type) ? $"type '{Type}' is reserved for the server"
            : null;

    public RealtimePush Push()
        => new(Type!, Action!, Data is { ValueKind: not JsonValueKind.Undefined } data ? JsonMarshal.GetRawUtf8Value(data).ToArray() : ReadOnlyMemory<byte>.Empty);

    public SendOptions Options() => new() { Exclude = Exclude, Filter = Filter };
}

internal sealed record SendToRoomRequest(string? Room, string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter)
{
    public override string? Problem() => RoomNames.IsValid(Room) ? base.Problem() : $"room is required: {RoomNames.Rule}";
}

internal sealed record SendToRoomsRequest(string[]? Rooms, string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter)
{
    public override string? Problem() => Rooms is { Length: > 0 } && Rooms.All(RoomNames.IsValid) ? base.Problem() : "rooms is required: valid room names";
}

internal sealed record SendToUsersRequest(string[]? Users, string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter)
{
    public override string? Problem() => Users is { Length: > 0 } && Users.All(u => !string.IsNullOrEmpty(u)) ? base.Problem() : "users is required";
}

internal sealed record SendToClientRequest(string? ClientId, string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter)
{
    public override string? Problem() => string.IsNullOrEmpty(ClientId) ? "clientId is required" : base.Problem();
}

internal sealed record InvokeClientRequest(string? ClientId, string? Type, string? Action, JsonElement? Data, int? TimeoutMs)
    : SendRequest(Type, Action, Data, null, null)
{
    public override string? Problem()
        => string.IsNullOrEmpty(ClientId) ? "clientId is required"
            : TimeoutMs is { } ms && (ms <= 0 || ms > RealtimeApi.MaxRequestTimeout.TotalMilliseconds) ? $"timeoutMs must be more than 0 and at most {RealtimeApi.MaxRequestTimeout.TotalMilliseconds:0}"
            : base.Problem();

    public TimeSpan? Timeout => TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
}

internal sealed record SendToAllRequest(string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter);

internal sealed record SendToPathRequest(string? Path, string? Type, string? Action, JsonElement? Data, string[]? Exclude, Dictionary<string, string>? Filter)
    : SendRequest(Type, Action, Data, Exclude, Filter)
{
    public override string? Problem() => Path is { Length: > 0 } && Path.StartsWith('/') ? base.Problem() : "path is required and starts with /";
}

internal sealed record DisconnectRequest(string? ClientId, string? UserId, int? Code, string? Reason) : IHttpApiRequest
{
    public string? Problem()
        => (ClientId is null) == (UserId is null) ? "give clientId or userId"
            : Code is { } code && !CloseCodes.MaySend(code) ? "code must be one a server may send: 1000-1003, 1007-1014 or 3000-4999"
            : null;
}

internal sealed record ClientRoomRequest(string? ClientId, string? Room) : IHttpApiRequest
{
    public string? Problem() => string.IsNullOrEmpty(ClientId) ? "clientId is required" : RoomNames.IsValid(Room) ? null : $"room is required: {RoomNames.Rule}";
}

internal sealed record RoomRequest(string? Room) : IHttpApiRequest
{
    public string? Problem() => RoomNames.IsValid(Room) ? null : $"room is required: {RoomNames.Rule}";
}

internal sealed record RoomHistoryRequest(string? Room, long? Since, int? Limit) : IHttpApiRequest
{
    public string? Problem()
        => !RoomNames.IsValid(Room) ? $"room is required: {RoomNames.Rule}"
            : Since < 0 ? "since must be 0 or more"
            : Limit is < 1 or > Api.RoomHistory.MaxLimit ? $"limit must be 1 to {Api.RoomHistory.MaxLimit}"
            : null;
}

internal sealed record UsersRequest(string[]? Users) : IHttpApiRequest
{
    public string? Problem() => Users is { Length: > 0 } ? null : "users is required";
}

internal sealed record ClientRequest(string? ClientId) : IHttpApiRequest
{
    public string? Problem() => string.IsNullOrEmpty(ClientId) ? "clientId is required" : null;
}

internal sealed record ClientMetadataRequest(string? ClientId, Dictionary<string, string?>? Metadata) : IHttpApiRequest
{
    public string? Problem() => string.IsNullOrEmpty(ClientId) ? "clientId is required" : Metadata is { Count: > 0 } ? null : "metadata is required: keys to set (null removes)";
}

internal sealed record PublishEventRequest(string? Channel, JsonElement? Payload) : IHttpApiRequest
{
    public string? Problem() => string.IsNullOrEmpty(Channel) ? "channel is required" : null;
}
