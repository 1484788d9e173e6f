"""CSTO Monitor: data loading, pure transforms, figures and Streamlit widgets."""
