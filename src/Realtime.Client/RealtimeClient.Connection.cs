using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>The connection's life: connect, receive, watch the heartbeat, reconnect with backoff.</summary>
public sealed partial class RealtimeClient
{
    /// <summary>
    /// Connects, runs the connection until it drops, and reconnects as the retry policy says, until
    /// disposed or told to stop. A first connection that cannot be made fails at once, after one try of
    /// each endpoint (unless <see cref="RealtimeClientOptions.RetryFirstConnect"/>).
    /// </summary>
    private async Task RunAsync()
    {
        var policy = _options.RetryPolicy ?? new ExponentialRetryPolicy(_options.ReconnectDelay, _options.MaxReconnectDelay, _options.MaxReconnectAttempts);
        var retries = 0;
        var firstTries = 0;
        long lostAt = 0;
        var token = _lifetime.Token;
        while (!token.IsCancellationRequested)
        {
            Exception? failure = null;
            var uri = CurrentUri();
            try
            {
                var receiving = await ConnectOnceAsync(token);
                retries = 0;
                lostAt = 0;
                await receiving;
            }
            catch (Exception exception) when (!token.IsCancellationRequested)
            {
                failure = exception;
                LogAttemptFailed(exception, uri);
            }
            catch (OperationCanceledException)
            {
            }

            FailPending();
            if (token.IsCancellationRequested)
            {
                break;
            }

            if (!_firstConnection.Task.IsCompleted && !_options.RetryFirstConnect)
            {
                if (++firstTries <= _options.FallbackUris.Count)
                {
                    _uriIndex++;
                    continue;
                }

                CloseForGood(failure ?? new WebSocketException("The first connection could not be made."));
                return;
            }

            if (lostAt == 0)
            {
                lostAt = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            var close = Volatile.Read(ref _lastClose);
            var delay = policy.NextRetryDelay(new RealtimeRetryContext(retries, System.Diagnostics.Stopwatch.GetElapsedTime(lostAt), failure, close?.Code));
            if (delay is null)
            {
                CloseForGood(failure ?? new WebSocketException("The connection was lost and the retry policy gave up."));
                return;
            }

            retries++;
            SetState(_firstConnection.Task.IsCompleted ? RealtimeConnectionState.Reconnecting : RealtimeConnectionState.Connecting);
            try
            {
                await Task.Delay(delay.Value, token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _uriIndex++;
        }
    }

    /// <summary>The client stops: a waiting <see cref="ConnectAsync"/> fails, the state is disconnected, <see cref="Closed"/> says why.</summary>
    private void CloseForGood(Exception? failure)
    {
        if (failure is not null)
        {
            _firstConnection.TrySetException(failure);
        }

        SetState(RealtimeConnectionState.Disconnected);
        var close = Volatile.Read(ref _lastClose);
        RaiseClosed(new RealtimeClosedInfo(close?.Code, close?.Reason, failure));
    }

    /// <summary>Opens a socket and waits for <c>connected</c>; returns the task that runs the connection until it drops.</summary>
    private async Task<Task> ConnectOnceAsync(CancellationToken token)
    {
        var uri = CurrentUri();
        var socket = new ClientWebSocket();
        if (_options.TokenProvider is { } tokens && await tokens(token) is { Length: > 0 } jwt)
        {
            if (_options.TokenInQuery)
            {
                uri = WithQuery(uri, "token", jwt);
            }
            else
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + jwt);
            }
        }

        // The session of the last connection, when the server offered to keep it: the same client id and rooms.
        if (_options.Resume && Volatile.Read(ref _resumeToken) is { } resume)
        {
            uri = WithQuery(uri, "resume", resume);
        }

        if (_options.Protocol == RealtimeProtocol.MessagePack)
        {
            socket.Options.AddSubProtocol(SystemActions.MessagePackSubProtocol);
        }
        else if (_options.OfferSubProtocol)
        {
            socket.Options.AddSubProtocol(SystemActions.SubProtocol);
        }

        _options.ConfigureWebSocket?.Invoke(socket.Options);

        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            connectTimeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await socket.ConnectAsync(uri, connectTimeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var previous = Interlocked.Exchange(ref _socket, socket);
        previous?.Dispose();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastReceivedMs = Environment.TickCount64;
        var receiving = ReceiveLoop(socket, connected, token);
        var first = await Task.WhenAny(connected.Task, receiving);
        if (first != connected.Task)
        {
            await receiving;
            throw new WebSocketException("The server closed the connection before saying `connected`.");
        }

        // The rooms to rejoin are those known before this connection: a room joined from now on is
        // joined by its own request.
        var rejoin = RoomsToRejoin();
        Volatile.Write(ref _lastClose, null);
        Volatile.Write(ref _session, socket);
        await ApplyMetadataAsync(token);
        SetState(RealtimeConnectionState.Connected);
        _firstConnection.TrySetResult();
        _ = Task.WhenAll(rejoin.Select(RecoverAsync));
        return Task.WhenAll(receiving, Watchdog(socket, receiving, token));
    }

    private static Uri WithQuery(Uri uri, string key, string value)
        => new UriBuilder(uri) { Query = (string.IsNullOrEmpty(uri.Query) ? "" : uri.Query.TrimStart('?') + "&") + key + "=" + Uri.EscapeDataString(value) }.Uri;

    private Uri CurrentUri()
    {
        var uris = new List<Uri> { _options.Uri! };
        uris.AddRange(_options.FallbackUris);
        return uris[_uriIndex % uris.Count];
    }

    private async Task ApplyMetadataAsync(CancellationToken token)
    {
        await Task.WhenAll(_metadata.Select(async pair =>
        {
            try
            {
                await RequestAsync(SystemActions.Type, SystemActions.SetMetadata, new Dictionary<string, string?> { [FrameFields.Key] = pair.Key, [FrameFields.Value] = pair.Value }, cancellationToken: token);
            }
            catch (Exception exception) when (exception is RealtimeRequestException or TimeoutException or WebSocketException or InvalidOperationException)
            {
                LogMetadataRefused(exception, pair.Key);
            }
        }));
    }

    private void FailPending()
    {
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                pending.Reply.TrySetException(new WebSocketException("The connection dropped before the reply came."));
            }
        }
    }

    private void SetDisconnectedIfCurrent(ClientWebSocket socket)
    {
        if (ReferenceEquals(_socket, socket) && State == RealtimeConnectionState.Connected && !_lifetime.IsCancellationRequested)
        {
            SetState(RealtimeConnectionState.Reconnecting);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "A connection to {Uri} failed or was lost.")]
    private partial void LogAttemptFailed(Exception exception, Uri uri);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Realtime client: {State}.")]
    private partial void LogStateChanged(RealtimeConnectionState state);

    /// <summary>The close the server sent on the last connection.</summary>
    private sealed record ServerClose(int? Code, string? Reason);
}
