using System.Collections.Concurrent;
using Realtime.Delivery;

namespace Realtime.Api;

/// <summary>
/// The requests this process waits on, by <c>rid</c>, and the one observer reference the gateways
/// send their answers to. No grain is activated per request.
/// </summary>
internal sealed class RequestBroker(IGrainFactory grains) : IRequestAnswers
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ClientAnswer>> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Task<IRequestAnswers>? _reference;

    /// <summary>Waits for the answer to <paramref name="rid"/> from now on (before the request leaves).</summary>
    public Task<ClientAnswer> Expect(string rid)
    {
        var answer = new TaskCompletionSource<ClientAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _pending.TryAdd(rid, answer) ? answer.Task : throw new InvalidOperationException($"A request {rid} is already waiting");
    }

    /// <summary>Stops waiting for <paramref name="rid"/>: an answer that comes later is dropped.</summary>
    public void Forget(string rid) => _pending.TryRemove(rid, out _);

    public Task Answer(string rid, ClientAnswer answer)
    {
        if (_pending.TryRemove(rid, out var waiting))
        {
            waiting.TrySetResult(answer);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// This process's reference, made once. Orleans makes object references only outside a grain's
    /// context, and a handler or grain may be the first to ask: the thread pool makes it.
    /// </summary>
    public Task<IRequestAnswers> Reference()
    {
        lock (_lock)
        {
            return _reference is { IsFaulted: false, IsCanceled: false }
                ? _reference
                : _reference = Task.Run(() => grains.CreateObjectReference<IRequestAnswers>(this));
        }
    }
}
