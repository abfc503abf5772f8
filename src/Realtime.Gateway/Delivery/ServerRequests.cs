using Microsoft.Extensions.Logging;
using Realtime.Delivery;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// Server requests on this gateway: the push with <c>rid</c> goes to its local connection, the
/// connection's answer goes straight to the process that asked (one call, never through a grain),
/// and a connection that is not here, or goes, answers <c>NOT_CONNECTED</c> at once.
/// </summary>
internal sealed partial class ServerRequests(ConnectionTable connections, ILogger<ServerRequests> logger)
{
    public void Deliver(ClientRequest request)
    {
        if (!connections.TryGet(request.ClientId, out var connection))
        {
            Reply(request.ReplyTo, request.Rid, ClientAnswer.NotConnected);
            return;
        }

        if (connection.AddRequest(request) is { } refused)
        {
            Reply(request.ReplyTo, request.Rid, refused);
            return;
        }

        if (!connection.Send(request.Frame) && connection.TakeRequest(request.Rid) is { } replyTo)
        {
            Reply(replyTo, request.Rid, ClientAnswer.NotConnected);
        }
    }

    /// <summary>The connection's answer to <paramref name="rid"/>; one nobody waits for (unknown, answered, too late) is dropped.</summary>
    public void Answer(Connection connection, string rid, ClientAnswer answer)
    {
        if (connection.TakeRequest(rid) is { } replyTo)
        {
            Reply(replyTo, rid, answer);
        }
    }

    /// <summary>The connection ended: whoever still waits for it is told now, not at its timeout.</summary>
    public void End(Connection connection)
    {
        foreach (var (rid, replyTo) in connection.EndRequests())
        {
            Reply(replyTo, rid, ClientAnswer.NotConnected);
        }
    }

    private void Reply(IRequestAnswers replyTo, string rid, ClientAnswer answer)
    {
        try
        {
            // One way: the asker's process may be gone, and nothing here waits for it.
            _ = replyTo.Answer(rid, answer);
        }
        catch (Exception exception)
        {
            LogAnswerFailed(exception, rid);
        }
    }

    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning, Message = "The answer to request {Rid} could not be sent to its asker.")]
    private partial void LogAnswerFailed(Exception exception, string rid);
}
