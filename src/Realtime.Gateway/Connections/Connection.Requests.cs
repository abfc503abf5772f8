using Realtime.Delivery;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The server requests this connection was asked and has not answered: an answer goes to its asker
/// once; when the connection ends, every asker still waiting is told <c>NOT_CONNECTED</c> at once.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>The most requests one connection may have unanswered; past it, the oldest expired ones go first.</summary>
    public const int MaxPendingRequests = 256;

    private readonly Lock _requestsLock = new();
    private Dictionary<string, PendingRequest>? _requests;
    private bool _requestsEnded;

    /// <summary>Takes a request to wait for its answer (null), or says why not: the connection has ended, or has too many unanswered.</summary>
    public ClientAnswer? AddRequest(ClientRequest request)
    {
        var now = Environment.TickCount64;
        lock (_requestsLock)
        {
            if (_requestsEnded)
            {
                return ClientAnswer.NotConnected;
            }

            _requests ??= new Dictionary<string, PendingRequest>(StringComparer.Ordinal);
            if (_requests.Count >= MaxPendingRequests)
            {
                // The askers of expired requests gave up already: nobody is told.
                foreach (var (rid, pending) in _requests)
                {
                    if (pending.DeadlineMs < now)
                    {
                        _requests.Remove(rid);
                    }
                }
            }

            if (_requests.Count >= MaxPendingRequests)
            {
                return new ClientAnswer(false, null, Protocol.ErrorCodes.RateLimit, $"The client has {MaxPendingRequests} requests unanswered");
            }

            // A rid is random: one already waiting here is a repeat of the same request.
            _requests.TryAdd(request.Rid, new PendingRequest(request.ReplyTo, now + request.TimeoutMs));
            return null;
        }
    }

    /// <summary>Whom to give the answer to <paramref name="rid"/>; null when unknown, answered or past its timeout.</summary>
    public IRequestAnswers? TakeRequest(string rid)
    {
        lock (_requestsLock)
        {
            if (_requests is null || !_requests.Remove(rid, out var pending))
            {
                return null;
            }

            return pending.DeadlineMs >= Environment.TickCount64 ? pending.ReplyTo : null;
        }
    }

    /// <summary>The connection is gone: the requests still waiting, each with its asker; no request is taken after.</summary>
    public List<(string Rid, IRequestAnswers ReplyTo)> EndRequests()
    {
        lock (_requestsLock)
        {
            _requestsEnded = true;
            var now = Environment.TickCount64;
            var waiting = _requests?.Where(r => r.Value.DeadlineMs >= now).Select(r => (r.Key, r.Value.ReplyTo)).ToList() ?? [];
            _requests = null;
            return waiting;
        }
    }

    private readonly record struct PendingRequest(IRequestAnswers ReplyTo, long DeadlineMs);
}
