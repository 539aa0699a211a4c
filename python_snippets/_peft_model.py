model = get_peft_model(model, lora_config)
for param in model.parameters():
    if param.requires_grad:
        param.data = param.data.float()  # adapters learn in 32-bit precision
