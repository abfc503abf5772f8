using Microsoft.Extensions.Logging;

namespace Realtime.Grains.Rooms;

internal sealed partial class RoomGrain
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Room {Room} resumed after an unclean stop: seq jumps from {SavedSeq} to {Seq}; clients see the gap and are told.")]
    private partial void LogResumedAfterReservation(string room, long savedSeq, long seq);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Room {Room} could not write its history; it will try again.")]
    private partial void LogHistoryFlushFailed(Exception exception, string room);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Room {Room} gave seq {Seq} but could not send it to every gateway; gateways repair the gap from history.")]
    private partial void LogStreamSendFailed(Exception exception, string room, long seq);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Room {Room} could not save its state on deactivation ({Reason}).")]
    private partial void LogSaveOnDeactivateFailed(Exception exception, string room, DeactivationReasonCode reason);
}
