using System.ComponentModel.DataAnnotations;

namespace Gatehouse.SessionBroker.Vault;

/// <summary>
/// The vault keys, from <c>Gatehouse:Vault</c>: <c>Keys:&lt;id&gt;</c> is the base64 of 32 random bytes and
/// <c>ActiveKey</c> names the one new credentials are sealed with. Keep old keys configured until every credential
/// was re-sealed (<c>POST /api/vault/reseal</c>).
/// </summary>
public sealed class VaultSettings
{
    public const string Section = "Gatehouse:Vault";

    public Dictionary<string, string> Keys { get; set; } = [];

    [Required(ErrorMessage = "Gatehouse:Vault:ActiveKey must name the vault key new credentials are sealed with")]
    public string ActiveKey { get; set; } = "";

    public VaultCipher CreateCipher()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in Keys)
        {
            try
            {
                keys[id] = Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Vault key '{id}' is not base64 (generate one with: openssl rand -base64 32)");
            }
        }

        return new VaultCipher(keys, ActiveKey);
    }
}
