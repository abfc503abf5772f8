using Microsoft.Extensions.Logging;

namespace Realtime.Gateway.Delivery;

/// <summary>What the gateway's stream consumer logs.</summary>
internal sealed partial class GatewayStreamConsumer
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Error, Message = "A {Item} from the gateway stream could not be delivered.")]
    private partial void LogDeliveryFailed(Exception exception, string item);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Room {Room}: repaired the pushes after seq {After} up to {Seq} from history.")]
    private partial void LogRepaired(string room, long after, long seq);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Room {Room}: seqs {From} to {To} are lost for good; members are told to resync.")]
    private partial void LogUnrepairable(string room, long from, long to);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Room {Room}: history could not be read to repair a gap.")]
    private partial void LogRepairFailed(Exception exception, string room);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Room {Room} started a new epoch {Epoch}: members are told to resync.")]
    private partial void LogNewEpoch(string room, string epoch);
}
