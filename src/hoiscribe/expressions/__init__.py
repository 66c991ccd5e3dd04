"""The referring-expression workflow: plan, use tools (views, VQA, rewrite), reflect; then generate.

``engine.ExpressionWorkflowEngine`` runs it inside the ordinary run layer (one request per
sample in, the final answer out, the history in ``Completion.meta``); ``realdata`` exports a
run as Real-Data JSONL plus the refined workflow output with histories.
"""
