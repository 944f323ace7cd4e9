using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

using Gatehouse.Authentication.Api;

namespace Gatehouse.Authentication.Tokens;

/// <summary>
/// The ES256 key that signs API tokens. Read from a PKCS#8 PEM file; created on first start with mode 0600 when the
/// file does not exist. Its id is the RFC 7638 thumbprint, so a new key gets a new id without configuration.
/// </summary>
public sealed class ApiSigningKey
{
    public ApiSigningKey(IOptions<AuthenticationSettings> options, ILogger<ApiSigningKey> logger)
    {
        var settings = options.Value;
        var file = settings.Tokens.SigningKeyFile ?? Path.Combine(settings.StateDirectory, "api-signing-key.pem");
        var ecdsa = ECDsa.Create();
        if (File.Exists(file))
        {
            ecdsa.ImportFromPem(File.ReadAllText(file));
            if (ecdsa.KeySize != 256)
            {
                throw new InvalidOperationException($"{file} must hold a P-256 key for ES256, not a {ecdsa.KeySize}-bit key.");
            }
        }
        else
        {
            ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            using var stream = PrivateFile.Create(file);
            using var writer = new StreamWriter(stream);
            writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
            logger.LogInformation("Created a new API token signing key in {File}", file);
        }

        var publicKey = new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false)));
        KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(publicKey).ComputeJwkThumbprint());
        publicKey.KeyId = KeyId;
        ValidationKey = publicKey;
        Credentials = new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256);
    }

    public string KeyId { get; }

    public SigningCredentials Credentials { get; }

    public SecurityKey ValidationKey { get; }

    /// <summary>The public half as a JWKS document for <c>/.well-known/jwks.json</c>.</summary>
    public JsonObject Jwks()
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey((ECDsaSecurityKey)ValidationKey);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = jwk.Kty,
                ["crv"] = jwk.Crv,
                ["x"] = jwk.X,
                ["y"] = jwk.Y,
                ["kid"] = KeyId,
                ["use"] = "sig",
                ["alg"] = SecurityAlgorithms.EcdsaSha256,
            }),
        };
    }
}
