using System.Threading.Channels;

namespace Realtime.Client;

/// <summary>Push handlers: subscriptions, and the one loop that calls them in order.</summary>
public sealed partial class RealtimeClient
{
    /// <summary>Calls <paramref name="handler"/> for every push of <paramref name="type"/>/<paramref name="action"/> (<c>"*"</c> matches any), in order.</summary>
    public IDisposable On(string type, string action, Action<PushMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(type, action, push =>
        {
            handler(push);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Like <see cref="On(string, string, Action{PushMessage})"/>, awaiting each call: the next push waits for it.</summary>
    public IDisposable On(string type, string action, Func<PushMessage, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscribe(type, action, push => new ValueTask(handler(push)));
    }

    /// <summary>Calls <paramref name="handler"/> with each push's <c>data</c> bound to <typeparamref name="T"/> (camelCase JSON).</summary>
    public IDisposable On<T>(string type, string action, Action<T?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(type, action, push => handler(push.DataAs<T>()));
    }

    /// <summary>Like <see cref="On{T}(string, string, Action{T})"/>, awaiting each call.</summary>
    public IDisposable On<T>(string type, string action, Func<T?, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(type, action, push => handler(push.DataAs<T>()));
    }

    private Subscription Subscribe(string type, string action, Func<PushMessage, ValueTask> handler)
    {
        var entry = (type, action, handler);
        lock (_handlersLock)
        {
            _handlers = [.. _handlers, entry];
        }

        return new Subscription(() =>
        {
            lock (_handlersLock)
            {
                _handlers = [.. _handlers.Where(h => h != entry)];
            }
        });
    }

    /// <summary>Every push, in order, as an async stream (until the token is cancelled or the client disposed).</summary>
    public async IAsyncEnumerable<PushMessage> ReadPushesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<PushMessage>();
        using var subscription = On("*", "*", push => channel.Writer.TryWrite(push));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        while (true)
        {
            PushMessage push;
            try
            {
                push = await channel.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return push;
        }
    }

    private async Task DispatchLoop()
    {
        await foreach (var item in _events.Reader.ReadAllAsync())
        {
            if (item is RecoveryFailure failure)
            {
                try
                {
                    RecoveryFailed?.Invoke(failure.Room);
                }
                catch (Exception exception)
                {
                    LogHandlerFailed(exception, "recovery", failure.Room);
                }

                continue;
            }

            var push = (PushMessage)item;
            foreach (var (type, action, handler) in _handlers)
            {
                if ((type == "*" || type == push.Type) && (action == "*" || action == push.Action))
                {
                    try
                    {
                        await handler(push);
                    }
                    catch (Exception exception)
                    {
                        LogHandlerFailed(exception, push.Type, push.Action);
                    }
                }
            }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
