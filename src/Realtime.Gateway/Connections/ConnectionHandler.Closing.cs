using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>How a session ends: the close handshake, the wait for the client to go, the unregistration.</summary>
internal sealed partial class ConnectionHandler
{
    private static readonly TimeSpan s_expirySlack = TimeSpan.FromSeconds(5);

    /// <summary>The client closed: answer with its code (a valid one) after what is queued.</summary>
    private static void AnswerClose(Connection connection)
    {
        connection.ClientClosed((int?)connection.Socket.CloseStatus ?? CloseCodes.Abnormal);
        connection.Close(CloseCodes.Answer((int?)connection.Socket.CloseStatus), "", flush: true);
    }

    /// <summary>After the server closed: discard whatever the client still sends until its close arrives or time runs out.</summary>
    private static async Task DrainUntilClose(Connection connection)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            while (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                try
                {
                    var result = await connection.Socket.ReceiveAsync(scratch.AsMemory(), connection.Aborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
                catch (WebSocketException exception) when (exception.WebSocketErrorCode != WebSocketError.ConnectionClosedPrematurely)
                {
                    // After a protocol error the bytes that follow are not frames: read on past them.
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Keeps the request (and so the connection) open until the client ends it or time runs out, so
    /// what was written last (a close frame) leaves before the connection is torn down.
    /// </summary>
    private static async Task UntilTheClientGoes(HttpContext context, TimeSpan timeout)
    {
        try
        {
            await Task.Delay(timeout, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Lets the session go (idempotent), trying once more if the first attempt fails: a registered
    /// socket drops its attachment (the session may wait for a resume, and is ended here when its window
    /// is over, should its grain have lost the timer); one whose registration did not answer unregisters.
    /// </summary>
    private async Task Unregister(Connection connection)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (connection.Attachment == 0)
                {
                    await cluster.UnregisterAsync(connection.ClientId);
                    return;
                }

                var window = await cluster.DropAsync(connection.ClientId, connection.Attachment, connection.Resumable);
                if (window > TimeSpan.Zero)
                {
                    _ = ExpireLater(connection.ClientId, connection.Attachment, window);
                }

                return;
            }
            catch (Exception exception) when (attempt < 2)
            {
                LogUnregisterRetry(exception, connection.ClientId);
            }
            catch (Exception exception)
            {
                LogUnregisterFailed(exception, connection.ClientId);
                return;
            }
        }
    }

    private async Task ExpireLater(string clientId, long attachment, TimeSpan window)
    {
        try
        {
            await Task.Delay(window + s_expirySlack);
            await cluster.ExpireAsync(clientId, attachment);
        }
        catch (Exception exception)
        {
            // The grain's own timer ends the session too; this is the second line.
            LogExpireFailed(exception, clientId);
        }
    }

    private static async Task Finish(Connection connection)
    {
        if (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // The close timeout cuts the socket if the close frame cannot be written.
            connection.Close(CloseCodes.Normal, "", flush: true);
            await connection.CloseSent;
        }

        if (connection.Socket.State != WebSocketState.Closed || !connection.CloseSent.IsCompleted)
        {
            connection.Abort();
        }
    }
}
