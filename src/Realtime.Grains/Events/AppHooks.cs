using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Realtime.Grains.Events;

/// <summary>Calls every registered <see cref="RealtimeHooks"/>, each within the hook time limit; failures are logged, never thrown.</summary>
internal sealed partial class AppHooks(IEnumerable<RealtimeHooks> hooks, IOptions<EventOptions> options, ILogger<AppHooks> logger)
{
    private readonly RealtimeHooks[] _hooks = [.. hooks];

    public bool Any => _hooks.Length > 0;

    public async Task RunAsync(string what, Func<RealtimeHooks, CancellationToken, Task> call)
    {
        foreach (var hook in _hooks)
        {
            var timeout = options.Value.HookTimeout;
            using var cancellation = new CancellationTokenSource(timeout);
            try
            {
                await call(hook, cancellation.Token).WaitAsync(timeout);
            }
            catch (Exception exception)
            {
                LogHookFailed(exception, what, hook.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1820, Level = LogLevel.Error, Message = "The {What} hook of {Hook} failed.")]
    private partial void LogHookFailed(Exception exception, string what, string hook);
}
