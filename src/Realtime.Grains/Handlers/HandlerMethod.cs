using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Api;
using Realtime.Protocol;

namespace Realtime.Grains.Handlers;

/// <summary>
/// A handler ready to call: its parameters bound once at start-up (context, token, services, and at
/// most one parameter bound from <c>data</c>), its return value awaited and boxed.
/// </summary>
internal sealed class HandlerMethod
{
    private readonly MethodInvoker _invoker;
    private readonly Func<HandlerContext, object?>[] _binders;
    private readonly Func<object?, ValueTask<object?>> _awaiter;
    private readonly object? _target;
    private readonly ObjectFactory? _controllerFactory;

    private HandlerMethod(HandlerRegistration registration, IServiceProviderIsService isService)
    {
        Registration = registration;
        _invoker = MethodInvoker.Create(registration.Method);
        _target = registration.Target;
        _controllerFactory = registration.ControllerType is { } controller ? ActivatorUtilities.CreateFactory(controller, []) : null;
        _awaiter = CreateAwaiter(registration.Method.ReturnType);

        var parameters = registration.Method.GetParameters();
        _binders = new Func<HandlerContext, object?>[parameters.Length];
        var dataBound = false;
        for (var i = 0; i < parameters.Length; i++)
        {
            _binders[i] = Bind(parameters[i], isService, ref dataBound);
        }
    }

    public HandlerRegistration Registration { get; }

    public TimeSpan? Timeout => Registration.Timeout;

    /// <summary>Conditions on the caller: anonymous callers fail all of them.</summary>
    public RequireUserAttribute[] Requirements { get; private init; } = [];

    public static HandlerMethod Create(HandlerRegistration registration, IServiceProviderIsService isService)
        => new(registration, isService) { Requirements = registration.Requirements };

    public async ValueTask<object?> InvokeAsync(HandlerContext context)
    {
        var target = _target;
        if (_controllerFactory is not null)
        {
            target = _controllerFactory(context.Services, null);
            if (target is RealtimeController controller)
            {
                controller.Context = context;
            }
        }

        try
        {
            var arguments = new object?[_binders.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = _binders[i](context);
            }

            object? returned;
            try
            {
                returned = _invoker.Invoke(target, arguments.AsSpan());
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
                throw;
            }

            return await _awaiter(returned);
        }
        finally
        {
            if (_controllerFactory is not null)
            {
                if (target is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else if (target is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        }
    }

    private Func<HandlerContext, object?> Bind(ParameterInfo parameter, IServiceProviderIsService isService, ref bool dataBound)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HandlerContext))
        {
            return static c => c;
        }

        if (type == typeof(CancellationToken))
        {
            return static c => c.CancellationToken;
        }

        if (type == typeof(IRealtime))
        {
            return static c => c.Realtime;
        }

        if (type == typeof(System.Security.Claims.ClaimsPrincipal))
        {
            return static c => c.User;
        }

        if (type == typeof(IServiceProvider))
        {
            return static c => c.Services;
        }

        if (type == typeof(JsonElement))
        {
            return static c => c.Data;
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return static c => c.RawData;
        }

        if (isService.IsService(type))
        {
            return c => c.Services.GetRequiredService(type);
        }

        if (dataBound)
        {
            throw new InvalidOperationException(
                $"Handler {Registration.Name}: parameter '{parameter.Name}' ({type.Name}) is neither a context value nor a registered service, and only one parameter can be bound from data.");
        }

        dataBound = true;
        var optional = parameter.HasDefaultValue
            || Nullable.GetUnderlyingType(type) is not null
            || (!type.IsValueType && new NullabilityInfoContext().Create(parameter).ReadState != NullabilityState.NotNull);
        var fallback = parameter.HasDefaultValue ? parameter.DefaultValue : null;
        return c =>
        {
            if (!c.HasData)
            {
                return optional
                    ? fallback
                    : throw new RealtimeException(ErrorCodes.InvalidMessage, $"{c.Type}/{c.Action} needs data");
            }

            return c.GetData(type) ?? (optional ? fallback : throw new RealtimeException(ErrorCodes.InvalidMessage, $"{c.Type}/{c.Action} needs data"));
        };
    }

    private static Func<object?, ValueTask<object?>> CreateAwaiter(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return static _ => ValueTask.FromResult<object?>(null);
        }

        if (returnType == typeof(Task))
        {
            return static async returned =>
            {
                await (Task)returned!;
                return null;
            };
        }

        if (returnType == typeof(ValueTask))
        {
            return static async returned =>
            {
                await (ValueTask)returned!;
                return null;
            };
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var helper = definition == typeof(Task<>) ? nameof(AwaitTask)
                : definition == typeof(ValueTask<>) ? nameof(AwaitValueTask)
                : null;
            if (helper is not null)
            {
                return typeof(HandlerMethod)
                    .GetMethod(helper, BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(returnType.GetGenericArguments()[0])
                    .CreateDelegate<Func<object?, ValueTask<object?>>>();
            }
        }

        return static returned => ValueTask.FromResult(returned);
    }

    private static async ValueTask<object?> AwaitTask<T>(object? returned) => await (Task<T>)returned!;

    private static async ValueTask<object?> AwaitValueTask<T>(object? returned) => await (ValueTask<T>)returned!;
}
