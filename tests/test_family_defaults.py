"""The defaults the advisor fills into a config.json that leaves fields out
(src/core/catalog/family-defaults.json) are transformers' own: for every family we count, each
value equals what `AutoConfig.for_model(model_type)` holds, and none is one the config class
derives from other fields (those are left to the counting code)."""
import json
import os
import subprocess

import pytest
from transformers import AutoConfig

from conftest import REPO

with open(os.path.join(REPO, "src", "core", "catalog", "family-defaults.json")) as f:
    DEFAULTS = {k: v for k, v in json.load(f).items() if not k.startswith("_")}

# Sizes a config sets that other fields may be derived from (head_dim = hidden / heads, …).
PERTURBED = {"hidden_size": 1200, "num_attention_heads": 12, "n_embd": 1200, "n_head": 12, "d_model": 1200,
             "num_heads": 12, "num_layers": 3, "num_hidden_layers": 3, "n_layer": 3}


def known_native_families():
    script = ("const p=require('./lib/core/params');"
              "process.stdout.write(JSON.stringify(p.KNOWN_FAMILIES.filter(f=>!p.REMOTE_CODE_FAMILIES.includes(f))))")
    proc = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_every_family_we_count_natively_has_its_defaults(built_lib):
    assert sorted(known_native_families()) == sorted(DEFAULTS)


@pytest.mark.parametrize("family", sorted(DEFAULTS))
def test_defaults_are_the_config_classes(family):
    config = AutoConfig.for_model(family)
    perturbed = AutoConfig.for_model(family, **{k: v for k, v in PERTURBED.items() if k in config.to_dict()})
    for field, value in DEFAULTS[family].items():
        assert getattr(config, field) == value, "%s.%s: transformers says %r" % (family, field, getattr(config, field))
        if field not in PERTURBED:
            assert getattr(perturbed, field) == value, "%s.%s is derived, not a fixed default" % (family, field)


def test_a_mistral_config_without_kv_heads_gets_8_not_the_attention_heads(built_lib):
    script = ("const {modelFromConfig}=require('./lib/core/catalog');"
              "const m=modelFromConfig({architectures:['MistralForCausalLM'],model_type:'mistral',hidden_size:4096,"
              "num_attention_heads:32},'mistralai/Mistral-7B-v0.1');process.stdout.write(JSON.stringify(m.config))")
    proc = subprocess.run(["node", "-e", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    config = json.loads(proc.stdout)
    assert config["num_key_value_heads"] == AutoConfig.for_model("mistral").num_key_value_heads == 8
    assert config["num_attention_heads"] == 32


with open(os.path.join(REPO, "src", "core", "catalog", "family-defaults.json")) as f:
    ALIASES = json.load(f)["_aliases"]


@pytest.mark.parametrize("family", sorted(DEFAULTS))
def test_every_other_name_of_a_default_is_known(family):
    """A config may give a field under its attribute_map name: the default is then not filled."""
    attribute_map = getattr(type(AutoConfig.for_model(family)), "attribute_map", {})
    wanted = sorted(sorted([k, v]) for k, v in attribute_map.items() if k in DEFAULTS[family] or v in DEFAULTS[family])
    known = sorted(sorted(g) for g in ALIASES.get(family, []))
    assert all(g in known for g in wanted), "%s: attribute_map %r" % (family, attribute_map)


@pytest.mark.parametrize("family,group", [(f, g) for f, gs in sorted(ALIASES.items()) for g in gs])
def test_each_alias_group_is_one_field_in_transformers(family, group):
    for name in group:
        config = AutoConfig.for_model(family, **{name: 24})
        assert all(getattr(config, other) == 24 for other in group if hasattr(config, other)), (family, name, group)


def test_params_counts_bloom_by_its_n_embed_and_mistral_by_its_defaults(built_lib, tmp_path):
    """`params` fills family defaults as `fit` does, and never over a field the config names otherwise."""
    bloom = {"architectures": ["BloomForCausalLM"], "model_type": "bloom", "n_embed": 1024, "n_layer": 24,
             "num_attention_heads": 16, "vocab_size": 250880}
    mistral = {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 4096,
               "intermediate_size": 14336, "num_attention_heads": 32, "num_hidden_layers": 32, "vocab_size": 32000}
    for name, config in (("bloom", bloom), ("mistral", mistral)):
        path = tmp_path / ("%s.json" % name)
        path.write_text(json.dumps(config))
        proc = subprocess.run(["node", "lib/cli.js", "params", str(path), "--json"], capture_output=True, text=True,
                              cwd=REPO, timeout=60)
        assert proc.returncode == 0, proc.stderr
        import torch
        with torch.device("meta"):
            from transformers import AutoModelForCausalLM
            model = AutoModelForCausalLM.from_config(AutoConfig.for_model(name, **{k: v for k, v in config.items() if k not in ("architectures", "model_type")}))
        assert json.loads(proc.stdout)["params"] == sum(p.numel() for p in model.parameters()), name
