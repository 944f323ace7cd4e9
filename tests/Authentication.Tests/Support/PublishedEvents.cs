using System.Collections.Concurrent;
using Gatehouse.Contracts;
using MassTransit;

namespace Gatehouse.Authentication.Tests.Support;

/// <summary>Every access event the service published on the bus, as any subscriber (the Audit service) receives it.</summary>
public sealed class PublishedEvents
{
    private readonly ConcurrentQueue<IAccessEvent> _received = new();

    public static readonly Type[] Subscribed =
    [
        typeof(LoginSucceeded), typeof(LoginFailed), typeof(MfaFailed), typeof(MfaRecoveryCodeUsed), typeof(AccountLocked),
        typeof(AccountUnlocked), typeof(SourceAddressThrottled), typeof(LoginThrottled), typeof(ApiTokenIssued), typeof(UserCreated),
        typeof(UserDisabled), typeof(PublicKeyAdded), typeof(MfaEnrolled), typeof(PasswordChanged), typeof(ApiSigningKeyRotated),
    ];

    public void Add(IAccessEvent accessEvent) => _received.Enqueue(accessEvent);

    public async Task<T> WaitForAsync<T>(Func<T, bool> match, TimeSpan? within = null) where T : IAccessEvent
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_received.OfType<T>().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No {typeof(T).Name} matching the test arrived on the bus.");
    }

    public void ConfigureReceiver(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        foreach (var type in Subscribed)
        {
            typeof(PublishedEvents).GetMethod(nameof(Handle), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [endpoint]);
        }
    }

    private void Handle<T>(IRabbitMqReceiveEndpointConfigurator endpoint) where T : class, IAccessEvent =>
        endpoint.Handler<T>(context =>
        {
            Add(context.Message);
            return Task.CompletedTask;
        });
}
