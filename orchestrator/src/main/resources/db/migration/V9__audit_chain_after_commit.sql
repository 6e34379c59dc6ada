-- The chain is no longer extended inside each committing transaction (V5's deferred trigger held the head's row lock
-- through every commit, which serialised all rotations' commits behind one lock and its WAL flush). A transition still
-- writes its entries to audit_pending in its own transaction, so no transition lands without them; the orchestrator's
-- chainer then moves committed entries into audit_entry, in pending order, under the head's lock, with the same hash:
-- hex(sha256(prev_hash || prefix || seq || suffix)). Readers (the API, reports, audit verify) chain what is pending
-- first, so they never miss a committed entry.
drop trigger audit_pending_chain on audit_pending;
drop function audit_chain_pending();

create function audit_chain_pending(max_rows integer) returns integer language plpgsql as $$
declare
    head_seq  bigint;
    head_hash text;
    p         record;
    chained   integer := 0;
begin
    select seq, hash into head_seq, head_hash from audit_head where id = 1 for update;
    for p in select * from audit_pending order by id limit max_rows loop
        head_seq := head_seq + 1;
        insert into audit_entry (seq, at, kind, subject, roles, source, reason, client_address, secret_id,
            rotation_id, detail, prev_hash, hash)
        values (head_seq, p.at, p.kind, p.subject, p.roles, p.source, p.reason, p.client_address, p.secret_id,
            p.rotation_id, p.detail, head_hash,
            encode(sha256(convert_to(head_hash || p.json_prefix || head_seq::text || p.json_suffix, 'UTF8')), 'hex'))
        returning hash into head_hash;
        delete from audit_pending where id = p.id;
        chained := chained + 1;
    end loop;
    if chained > 0 then
        update audit_head set seq = head_seq, hash = head_hash where id = 1;
    end if;
    return chained;
end;
$$;
