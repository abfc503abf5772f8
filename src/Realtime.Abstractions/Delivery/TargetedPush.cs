namespace Realtime.Delivery;

/// <summary>
/// An unsequenced push to a set of local connections, written once as <paramref name="Frame"/>;
/// <paramref name="Exclude"/> (client ids) and <paramref name="Filter"/> (metadata equality) apply.
/// Each target has its own record.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.TargetedPush")]
public abstract record TargetedPush(
    [property: Id(0)] byte[] Frame,
    [property: Id(1)] string[]? Exclude,
    [property: Id(2)] Dictionary<string, string>? Filter) : GatewayMessage;

/// <summary>A push to the local connections in <paramref name="ClientIds"/>.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ConnectionsPush")]
public sealed record ConnectionsPush(
    [property: Id(0)] string[] ClientIds,
    byte[] Frame,
    string[]? Exclude = null,
    Dictionary<string, string>? Filter = null) : TargetedPush(Frame, Exclude, Filter);

/// <summary>A push to the local members of any of <paramref name="Rooms"/>, each once.</summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomsPush")]
public sealed record RoomsPush(
    [property: Id(0)] string[] Rooms,
    byte[] Frame,
    string[]? Exclude = null,
    Dictionary<string, string>? Filter = null) : TargetedPush(Frame, Exclude, Filter);

/// <summary>A push to every local connection.</summary>
[GenerateSerializer, Immutable, Alias("realtime.EveryonePush")]
public sealed record EveryonePush(
    byte[] Frame,
    string[]? Exclude = null,
    Dictionary<string, string>? Filter = null) : TargetedPush(Frame, Exclude, Filter);

/// <summary>A push to every local connection that arrived on <paramref name="Path"/>.</summary>
[GenerateSerializer, Immutable, Alias("realtime.PathPush")]
public sealed record PathPush(
    [property: Id(0)] string Path,
    byte[] Frame,
    string[]? Exclude = null,
    Dictionary<string, string>? Filter = null) : TargetedPush(Frame, Exclude, Filter);
