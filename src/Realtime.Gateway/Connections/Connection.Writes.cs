using System.Net.WebSockets;

namespace Realtime.Gateway.Connections;

/// <summary>The connection's one writer: drains the send queue to the socket, a run at a time.</summary>
internal sealed partial class Connection
{
    private async Task WriteLoop()
    {
        // One run's frames and bytes are counted once, when it ends: not two instrument calls per frame.
        long frames = 0;
        long bytes = 0;
        try
        {
            byte[]? written = null;
            while (true)
            {
                Outgoing next;
                lock (_queue)
                {
                    if (written is not null)
                    {
                        _queuedBytes -= written.Length;
                        SignalIfDrainedLocked();
                    }
                    else
                    {
                        // The backlog this run of writes found.
                        _metrics?.Backlog(_queuedBytes);
                    }

                    if (!_queue.TryDequeue(out next))
                    {
                        _writing = false;
                        _metrics?.Sent(frames, bytes);
                        return;
                    }
                }

                var frame = next.Frame;
                if (ReferenceEquals(frame, s_closeMarker))
                {
                    _metrics?.Sent(frames, bytes);
                    if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, CancellationToken.None);
                    }

                    _closeSent.TrySetResult();
                    return;
                }

                _writeBeganMs = Environment.TickCount64;
                await _socket.SendAsync(frame, next.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                LastSentMs = Environment.TickCount64;
                frames++;
                bytes += frame.Length;
                if (next.PublishedTicks != 0)
                {
                    _metrics?.Delivered(next.PublishedTicks);
                }

                written = frame;
            }
        }
        catch (Exception)
        {
            // The socket failed or was cut: nothing more can be written to it.
            _metrics?.Sent(frames, bytes);
            lock (_queue)
            {
                _closing = true;
                _queue.Clear();
                _queuedBytes = 0;
            }

            Abort();
        }
    }

    /// <summary>A queued frame (as a binary message or a text one), with its room's publish time (UTC ticks) when it is a room push.</summary>
    private readonly record struct Outgoing(byte[] Frame, long PublishedTicks, bool Binary);
}
