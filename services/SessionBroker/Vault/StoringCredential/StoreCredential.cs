using System.Text;
using Gatehouse.Contracts;
using Gatehouse.Contracts.Authorization;
using Gatehouse.ServiceDefaults.EventStore;
using Gatehouse.ServiceDefaults.Http;
using Gatehouse.Vocabulary;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Renci.SshNet;

namespace Gatehouse.SessionBroker.Vault.StoringCredential;

/// <summary>Exactly one of the two: the private key the gateway signs in with, or the password.</summary>
public sealed record StoreCredentialRequest(string? PrivateKey, string? Password);

/// <summary><c>PUT /api/vault/credentials/{target}/{login}</c>: seals a credential for a target login, replacing any.</summary>
public static class StoreCredential
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPut("/vault/credentials/{target}/{login}", HandleAsync);

    private static async Task<IResult> HandleAsync(string target, string login, StoreCredentialRequest? request,
        ApiCaller caller, IDocumentSession session, VaultCipher cipher, IRequestClient<FindTargetLogin> targets,
        IOptions<GatewaySettings> settings, TimeProvider clock, CancellationToken cancellationToken)
    {
        target = TargetNames.Normalise(target);
        var errors = Validate(target, login, request);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (await UnknownTargetLoginAsync(targets, target, login, settings.Value.DecisionTimeout, cancellationToken) is { } refused)
        {
            return refused;
        }

        var (kind, secret) = request!.PrivateKey is { } key
            ? (CredentialKind.PrivateKey, Encoding.UTF8.GetBytes(key.Replace("\r\n", "\n").Trim() + "\n"))
            : (CredentialKind.Password, Encoding.UTF8.GetBytes(request.Password!));
        var slot = VaultCredential.SlotId(target, login);
        var stored = new CredentialStored(slot, target, login, kind, cipher.Seal(secret, target, login),
            caller.Name, clock.GetUtcNow());
        Array.Clear(secret);
        session.Events.Append(slot, stored);
        session.AppendAccessEvent(slot, new TargetCredentialStored(target, login, kind.ToString(), stored.Secret.KeyId, stored.StoredBy,
            caller.SourceAddress, caller.CorrelationId, EventIds.New(stored.StoredAt), stored.StoredAt));
        await session.SaveChangesAsync(cancellationToken);
        return Results.Ok(VaultEntry.Of(VaultCredential.Create(stored)));
    }

    /// <summary>
    /// Authorization owns targets and their logins: a credential for a target or login it does not know would never be
    /// used, or be used by whatever is registered under that name later. No answer refuses too.
    /// </summary>
    private static async Task<IResult?> UnknownTargetLoginAsync(IRequestClient<FindTargetLogin> targets, string target, string login,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await targets.GetResponse<TargetLoginFound, TargetLoginNotFound>(new FindTargetLogin(target, login),
                cancellationToken, RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
            return reply.Is(out Response<TargetLoginNotFound>? notFound)
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown target login",
                    detail: $"{notFound.Message.Detail}. Nothing was stored.")
                : null;
        }
        catch (RequestTimeoutException)
        {
            return ApiProblems.Unavailable(title: "Authorization did not answer",
                detail: $"Cannot check that target '{target}' declares the login '{login}': the Authorization service did not answer in time. "
                        + "Nothing was stored; try again.");
        }
    }

    public static InputErrors Validate(string target, string login, StoreCredentialRequest? request)
    {
        var errors = new InputErrors();
        if (!TargetNames.IsValid(target))
        {
            errors.Add("target", $"Not a target name: {TargetNames.Rule}");
        }

        if (!LoginNames.IsValid(login))
        {
            errors.Add("login", $"Not a login: {LoginNames.Rule}");
        }

        if (request is null || (request.PrivateKey is null) == (request.Password is null))
        {
            errors.Add("credential", "Give exactly one of privateKey or password");
            return errors;
        }

        if (request.Password is { } password && (password.Length is 0 or > 1024))
        {
            errors.Add("password", "The password must be 1 to 1024 characters");
        }
        else if (request.Password is { } typed && typed.IndexOfAny(['\0', '\r', '\n']) >= 0)
        {
            // A target reads a password as one C string typed on one line: such a password could never sign in.
            errors.Add("password", "The password must not contain NUL or line breaks");
        }

        if (request.PrivateKey is { } key && ProblemWithKey(key) is { } problem)
        {
            errors.Add("privateKey", problem);
        }

        return errors;
    }

    private static string? ProblemWithKey(string key)
    {
        if (key.Length > 16 * 1024)
        {
            return "The private key is larger than 16 KiB";
        }

        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(key));
            using var parsed = new PrivateKeyFile(stream);
            return null;
        }
        catch (Exception e) when (e is Renci.SshNet.Common.SshException or ArgumentException or FormatException or NotSupportedException or InvalidOperationException)
        {
            // The message never contains key material, only what is wrong with its format.
            return $"Not an unencrypted OpenSSH or PEM private key: {e.Message}";
        }
    }
}
