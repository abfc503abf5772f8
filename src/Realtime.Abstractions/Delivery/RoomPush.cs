namespace Realtime.Delivery;

/// <summary>
/// A sequenced room broadcast, to every local member of <paramref name="Room"/>. <paramref name="Frame"/>
/// is the complete push, written once by the room. A gateway that sees a seq jump within one
/// <paramref name="Epoch"/> repairs the gap from the room's history. <paramref name="PublishedTicks"/>
/// is the room's clock (UTC ticks) at the publish, for the delivery latency the gateways measure;
/// <paramref name="TraceParent"/> the publish's W3C trace context when it was traced, so the gateways'
/// delivery spans join its trace.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomPush")]
public sealed record RoomPush(
    [property: Id(0)] string Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] byte[] Frame,
    [property: Id(3)] string[]? Exclude = null,
    [property: Id(4)] Dictionary<string, string>? Filter = null,
    [property: Id(5)] string Epoch = "",
    [property: Id(6)] long PublishedTicks = 0,
    [property: Id(7)] string? TraceParent = null) : GatewayMessage;
