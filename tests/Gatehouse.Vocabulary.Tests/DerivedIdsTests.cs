using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Vocabulary.Tests;

public sealed class DerivedIdsTests
{
    [Fact]
    public void The_same_names_always_give_the_same_id_and_other_names_another()
    {
        Assert.Equal(DerivedIds.From("vault", "web01", "deploy"), DerivedIds.From("vault", "web01", "deploy"));
        Assert.NotEqual(DerivedIds.From("vault", "web01", "deploy"), DerivedIds.From("vault", "web0", "1deploy"));
        Assert.NotEqual(DerivedIds.From("vault", "web01"), DerivedIds.From("login", "web01"));
    }

    [Fact]
    public void A_vault_slot_keeps_the_id_it_was_stored_under_before_the_ids_were_shared()
    {
        // The vault's own formula before: credentials stored then must still be found.
        var before = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("vault\0web01\0deploy")).AsSpan(0, 16));
        Assert.Equal(before, DerivedIds.From("vault", "web01", "deploy"));
    }
}
